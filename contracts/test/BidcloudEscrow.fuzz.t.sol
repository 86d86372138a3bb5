// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {BidcloudEscrow} from "../src/BidcloudEscrow.sol";
import {EscrowFixture} from "./helpers/EscrowFixture.sol";

contract EscrowFuzzTest is EscrowFixture {
    uint256 private constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
    uint256 private constant MAX_SECONDS = 10 * 365 days;

    function setUp() public override {
        super.setUp();
        _openAccount(ACCOUNT, tenant);
    }

    function testFuzz_settlementsPayExactlyTheFloorOfTheCumulativeTotal(
        uint256 rate,
        uint64 first,
        uint64 second,
        uint64 third
    ) public {
        rate = bound(rate, 1, 1e30);
        third = uint64(bound(third, 3, MAX_SECONDS));
        second = uint64(bound(second, 2, third - 1));
        first = uint64(bound(first, 1, second - 1));
        uint256 total = uint256(third) * rate / 1e18;
        _deposit(tenant, ACCOUNT, total + 1);
        _openLease(LEASE, ACCOUNT, rate);
        vm.warp(START + third);

        uint256 fees;
        uint64[3] memory steps = [first, second, third];
        for (uint256 i = 0; i < 3; ++i) {
            uint256 treasuryBefore = escrow.owed(treasury);
            uint256 providerBefore = escrow.owed(provider);
            (uint64 settledBefore,) = _settled(LEASE);
            escrow.settle(LEASE, steps[i], _receipt(LEASE, steps[i]));
            uint256 amount = _due(rate, settledBefore, steps[i]);
            uint256 fee = escrow.owed(treasury) - treasuryBefore;
            assertEq(fee, _fee(amount), "fee is the ceiling of feeBps of the amount");
            assertEq(escrow.owed(provider) - providerBefore, amount - fee, "provider gets the rest");
            fees += fee;
        }
        (, uint256 paid) = _settled(LEASE);
        assertEq(paid, total, "paid == floor(rate * seconds / 1e18)");
        assertEq(escrow.owed(provider) + fees, total, "provider + fees == paid");
        assertEq(_balance(ACCOUNT), 1, "the rest stays in the account");
    }

    function testFuzz_anHourlyPriceIsNeverOvercharged(uint256 pricePerHour, uint256 hoursUsed) public {
        pricePerHour = bound(pricePerHour, 1, 1e15);
        hoursUsed = bound(hoursUsed, 1, 24 * 365);
        uint256 rate = pricePerHour * 1e18 / 3600;
        vm.assume(rate > 0);
        uint256 price = pricePerHour * hoursUsed;
        _deposit(tenant, ACCOUNT, price);
        _openLease(LEASE, ACCOUNT, rate);
        uint64 elapsed = uint64(hoursUsed * 3600);
        vm.warp(START + elapsed);
        escrow.settle(LEASE, elapsed, _receipt(LEASE, elapsed));
        (, uint256 paid) = _settled(LEASE);
        assertLe(paid, price, "never more than the quoted price");
        assertGe(paid + 1, price, "at most one base unit below it");
    }

    function testFuzz_anUnderfundedSettlementPaysTheBalanceAndCloses(uint256 deposited, uint256 rate, uint64 used)
        public
    {
        deposited = bound(deposited, 1, 1e15);
        rate = bound(rate, 1e12, 1e30);
        used = uint64(bound(used, 1, MAX_SECONDS));
        _deposit(tenant, ACCOUNT, deposited);
        _openLease(LEASE, ACCOUNT, rate);
        vm.warp(START + used);
        uint256 due = uint256(used) * rate / 1e18;
        escrow.settle(LEASE, used, _receipt(LEASE, used));

        (, uint256 paid) = _settled(LEASE);
        (uint8 state, uint8 reason) = _leaseState(LEASE);
        if (due > deposited) {
            assertEq(paid, deposited, "pays out the whole balance");
            assertEq(state, LEASE_CLOSED, "closed");
            assertEq(reason, REASON_INSUFFICIENT_FUNDS, "reason");
            assertEq(_accountState(ACCOUNT), ACCOUNT_OVERDRAWN, "overdrawn");
        } else {
            assertEq(paid, due, "pays what is due");
            assertEq(state, LEASE_OPEN, "still open");
            assertEq(_accountState(ACCOUNT), ACCOUNT_OPEN, "open");
        }
        assertEq(paid + _balance(ACCOUNT), deposited, "nothing created or lost");
        assertEq(usdc.balanceOf(address(escrow)), _balance(ACCOUNT) + escrow.totalOwed(), "tokens held");
    }

    /// @dev Deposits from up to five depositors in a random order, a random spend, then a close.
    function testFuzz_refundsReturnWhatIsLeftOfEachDepositFirstInFirstOut(
        uint8[8] memory who,
        uint40[8] memory amounts,
        uint256 spendSeed
    ) public {
        address[5] memory people = [address(0x1001), address(0x1002), address(0x1003), address(0x1004), address(0x1005)];
        address[5] memory order;
        uint256[5] memory deposited;
        uint256 distinct;
        uint256 total;
        for (uint256 i = 0; i < 8; ++i) {
            uint256 amount = bound(amounts[i], 1, 1e12);
            address from = people[who[i] % 5];
            uint256 slot = distinct;
            for (uint256 j = 0; j < distinct; ++j) {
                if (order[j] == from) slot = j;
            }
            if (slot == distinct) order[distinct++] = from;
            deposited[slot] += amount;
            total += amount;
            _deposit(from, ACCOUNT, amount);
        }

        // Spend a random part of it through one lease at one base unit per second.
        uint64 spent = uint64(bound(spendSeed, 0, total));
        _openLease(LEASE, ACCOUNT, 1e18);
        vm.warp(START + spent);
        bytes memory receipt = _receipt(LEASE, spent);
        vm.prank(operator);
        escrow.closeLease(LEASE, REASON_ADMIN, spent, receipt);
        vm.prank(tenant);
        escrow.closeAccount(ACCOUNT);

        uint256 spentLeft = spent;
        uint256 refunded;
        for (uint256 j = 0; j < distinct; ++j) {
            uint256 consumed = deposited[j] < spentLeft ? deposited[j] : spentLeft;
            spentLeft -= consumed;
            assertEq(usdc.balanceOf(order[j]), deposited[j] - consumed, "refund is what is left of the deposit");
            refunded += usdc.balanceOf(order[j]);
        }
        assertEq(refunded, total - spent, "refunds sum to the balance");
        assertEq(usdc.balanceOf(address(escrow)), escrow.totalOwed(), "only payouts remain");
    }

    function testFuzz_receiptsFromAnyOtherKeyAreRejected(uint256 key, uint64 used) public {
        key = bound(key, 1, SECP256K1_N - 1);
        vm.assume(key != VERIFIER_KEY);
        used = uint64(bound(used, 1, MAX_SECONDS));
        _deposit(tenant, ACCOUNT, 1e6);
        _openLease(LEASE, ACCOUNT, RATE);
        vm.warp(START + used);
        bytes memory forged = _signWith(key, escrow.receiptDigest(LEASE, used));
        vm.expectRevert(BidcloudEscrow.InvalidReceipt.selector);
        escrow.settle(LEASE, used, forged);
    }

    function testFuzz_receiptsSignedForAnotherChainAreRejected(uint64 otherChain, uint64 used) public {
        vm.assume(otherChain != block.chainid && otherChain != 0);
        used = uint64(bound(used, 1, MAX_SECONDS));
        _deposit(tenant, ACCOUNT, 1e6);
        _openLease(LEASE, ACCOUNT, RATE);
        vm.warp(START + used);
        uint256 home = block.chainid;
        vm.chainId(otherChain);
        bytes memory foreign = _receipt(LEASE, used);
        vm.chainId(home);
        vm.expectRevert(BidcloudEscrow.InvalidReceipt.selector);
        escrow.settle(LEASE, used, foreign);
    }

    function testFuzz_receiptsAreBoundedByElapsedTime(uint64 elapsed, uint64 claimed) public {
        elapsed = uint64(bound(elapsed, 0, MAX_SECONDS));
        claimed = uint64(bound(claimed, uint256(elapsed) + 1, type(uint64).max));
        _deposit(tenant, ACCOUNT, 1e6);
        _openLease(LEASE, ACCOUNT, RATE);
        vm.warp(START + elapsed);
        bytes memory receipt = _receipt(LEASE, claimed);
        vm.expectRevert(BidcloudEscrow.ReceiptExceedsElapsed.selector);
        escrow.settle(LEASE, claimed, receipt);
    }

    function testFuzz_feeSettingsAreBounded(uint16 feeBps) public {
        vm.prank(admin);
        if (feeBps > 1000) {
            vm.expectRevert(abi.encodeWithSelector(BidcloudEscrow.FeeTooHigh.selector, feeBps));
            escrow.setFeeBps(feeBps);
        } else {
            escrow.setFeeBps(feeBps);
            assertEq(escrow.feeBps(), feeBps, "fee set");
        }
    }
}
