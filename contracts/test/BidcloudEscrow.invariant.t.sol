// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {BidcloudEscrow} from "../src/BidcloudEscrow.sol";
import {TestUSDC} from "../src/TestUSDC.sol";
import {EscrowHandler} from "./helpers/EscrowHandler.sol";
import {Test} from "./utils/Test.sol";

contract EscrowInvariantTest is Test {
    uint256 internal constant VERIFIER_KEY = 0xA11CE;

    TestUSDC internal usdc;
    BidcloudEscrow internal escrow;
    EscrowHandler internal handler;

    function setUp() public {
        vm.warp(1_700_000_000);
        usdc = new TestUSDC();
        address verifier = vm.addr(VERIFIER_KEY);
        escrow = new BidcloudEscrow(IERC20(address(usdc)), address(this), address(0x0FE), verifier, address(0x7EA), 250);
        BidcloudEscrow twin =
            new BidcloudEscrow(IERC20(address(usdc)), address(this), address(0x0FE), verifier, address(0x7EA), 250);
        handler = new EscrowHandler(escrow, twin, usdc, VERIFIER_KEY);
        targetContract(address(handler));

        bytes4[] memory selectors = new bytes4[](10);
        selectors[0] = EscrowHandler.openAccount.selector;
        selectors[1] = EscrowHandler.deposit.selector;
        selectors[2] = EscrowHandler.openLease.selector;
        selectors[3] = EscrowHandler.settle.selector;
        selectors[4] = EscrowHandler.closeLease.selector;
        selectors[5] = EscrowHandler.withdraw.selector;
        selectors[6] = EscrowHandler.closeAccount.selector;
        selectors[7] = EscrowHandler.warp.selector;
        selectors[8] = EscrowHandler.misuseReceipt.selector;
        selectors[9] = EscrowHandler.atZeroElapsed.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// 1. The escrow holds exactly the account balances plus what it owes payees.
    function invariant_tokensHeldCoverBalancesAndOwed() public view {
        uint256 owedSum;
        address[] memory payees = handler.payees();
        for (uint256 i = 0; i < payees.length; ++i) {
            owedSum += escrow.owed(payees[i]);
        }
        assertEq(escrow.totalOwed(), owedSum, "totalOwed is the sum of owed");
        uint256 held = usdc.balanceOf(address(escrow));
        assertGe(held, _sumBalances() + escrow.totalOwed(), "tokens cover balances and owed");
        assertEq(held, _sumBalances() + escrow.totalOwed(), "and nothing else is held");
    }

    /// 2. Every deposited unit is in a balance, owed or withdrawn (provider share or fee), or refunded.
    function invariant_depositsAreConserved() public view {
        uint256 owedAndWithdrawn = escrow.totalOwed() + handler.ghostWithdrawn();
        assertEq(
            owedAndWithdrawn,
            handler.ghostProviderCredited() + handler.ghostFees(),
            "owed + withdrawn == provider payouts + fees"
        );
        assertEq(
            handler.ghostDeposited(),
            _sumBalances() + handler.ghostProviderCredited() + handler.ghostFees() + handler.ghostRefunded(),
            "deposited == balances + provider payouts + fees + refunds"
        );
        assertEq(
            escrow.owed(handler.treasury()) + handler.ghostTreasuryWithdrawn(),
            handler.ghostFees(),
            "fees reach the treasury"
        );
        for (uint256 i = 0; i < handler.accountCount(); ++i) {
            bytes32 accountId = handler.accountIds(i);
            (,, uint256 balance,, uint256 totalDeposited) = escrow.getAccount(accountId);
            assertEq(totalDeposited, handler.ghostAccountDeposited(accountId), "account deposits");
            assertEq(
                totalDeposited,
                balance + handler.ghostAccountSpent(accountId) + handler.ghostAccountRefunded(accountId),
                "account deposits == balance + spent + refunded"
            );
        }
    }

    /// 3. No lease is paid beyond its verified usage, and no account beyond its deposits.
    function invariant_noOverpayment() public view {
        uint256 accounts = handler.accountCount();
        uint256[] memory paidPerAccount = new uint256[](accounts);
        for (uint256 i = 0; i < handler.leaseCount(); ++i) {
            bytes32 leaseId = handler.leaseIds(i);
            (bytes32 accountId,, uint256 rate, uint64 startTime, uint64 settledSeconds, uint256 paid,,) =
                escrow.getLease(leaseId);
            assertLe(settledSeconds, handler.signedSeconds(leaseId), "settled only what the verifier signed");
            assertLe(settledSeconds, block.timestamp - startTime, "settled only elapsed time");
            assertLe(paid, uint256(settledSeconds) * rate / 1e18, "paid <= floor(rate * seconds / 1e18)");
            for (uint256 j = 0; j < accounts; ++j) {
                if (handler.accountIds(j) == accountId) paidPerAccount[j] += paid;
            }
        }
        for (uint256 j = 0; j < accounts; ++j) {
            (,,,, uint256 totalDeposited) = escrow.getAccount(handler.accountIds(j));
            assertLe(paidPerAccount[j], totalDeposited, "an account pays out at most its deposits");
        }
    }

    /// 4. Replayed receipts and receipts for another lease, chain or escrow are all refused.
    function invariant_receiptsCannotBeMisused() public view {
        assertEq(handler.misuseAccepted(), 0, "a misused receipt was accepted");
    }

    /// 5. At zero elapsed time settling fails only as documented, closing works, nothing is paid.
    function invariant_zeroElapsedIsSafe() public view {
        assertEq(handler.zeroElapsedViolations(), 0, "unsafe behaviour at zero elapsed time");
    }

    function _sumBalances() private view returns (uint256 sum) {
        for (uint256 i = 0; i < handler.accountCount(); ++i) {
            (,, uint256 balance,,) = escrow.getAccount(handler.accountIds(i));
            sum += balance;
        }
    }
}
