// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {BidcloudEscrow} from "../src/BidcloudEscrow.sol";
import {EscrowFixture} from "./helpers/EscrowFixture.sol";
import {Vm} from "./utils/Vm.sol";

contract ConstructorTest is EscrowFixture {
    function test_setsRolesFeeAndToken() public view {
        assertEq(address(escrow.token()), address(usdc), "token");
        assertEq(escrow.owner(), admin, "owner");
        assertEq(escrow.operator(), operator, "operator");
        assertEq(escrow.verifier(), verifier, "verifier");
        assertEq(escrow.treasury(), treasury, "treasury");
        assertEq(escrow.feeBps(), FEE_BPS, "fee");
        assertEq(escrow.MAX_FEE_BPS(), 1000, "max fee");
        assertEq(escrow.MAX_DEPOSITORS(), 16, "max depositors");
        assertFalse(escrow.paused(), "paused");
        assertEq(escrow.totalOwed(), 0, "total owed");
    }

    function test_emitsTheInitialConfiguration() public {
        vm.expectEmit(true, true, true, true);
        emit BidcloudEscrow.OperatorUpdated(address(0), operator);
        vm.expectEmit(true, true, true, true);
        emit BidcloudEscrow.VerifierUpdated(address(0), verifier);
        vm.expectEmit(true, true, true, true);
        emit BidcloudEscrow.TreasuryUpdated(address(0), treasury);
        vm.expectEmit(true, true, true, true);
        emit BidcloudEscrow.FeeBpsUpdated(0, FEE_BPS);
        new BidcloudEscrow(IERC20(address(usdc)), admin, operator, verifier, treasury, FEE_BPS);
    }

    function test_acceptsTheMaximumFee() public {
        BidcloudEscrow other = new BidcloudEscrow(IERC20(address(usdc)), admin, operator, verifier, treasury, 1000);
        assertEq(other.feeBps(), 1000, "fee");
    }

    function test_rejectsZeroToken() public {
        vm.expectRevert(BidcloudEscrow.ZeroAddress.selector);
        new BidcloudEscrow(IERC20(address(0)), admin, operator, verifier, treasury, FEE_BPS);
    }

    function test_rejectsZeroOwner() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableInvalidOwner.selector, address(0)));
        new BidcloudEscrow(IERC20(address(usdc)), address(0), operator, verifier, treasury, FEE_BPS);
    }

    function test_rejectsZeroOperator() public {
        vm.expectRevert(BidcloudEscrow.ZeroAddress.selector);
        new BidcloudEscrow(IERC20(address(usdc)), admin, address(0), verifier, treasury, FEE_BPS);
    }

    function test_rejectsZeroVerifier() public {
        vm.expectRevert(BidcloudEscrow.ZeroAddress.selector);
        new BidcloudEscrow(IERC20(address(usdc)), admin, operator, address(0), treasury, FEE_BPS);
    }

    function test_rejectsZeroTreasury() public {
        vm.expectRevert(BidcloudEscrow.ZeroAddress.selector);
        new BidcloudEscrow(IERC20(address(usdc)), admin, operator, verifier, address(0), FEE_BPS);
    }

    function test_rejectsAFeeAboveTheMaximum() public {
        vm.expectRevert(abi.encodeWithSelector(BidcloudEscrow.FeeTooHigh.selector, uint16(1001)));
        new BidcloudEscrow(IERC20(address(usdc)), admin, operator, verifier, treasury, 1001);
    }
}

contract AdministrationTest is EscrowFixture {
    address internal newcomer = address(0x1234);

    function test_ownerSetsTheOperator() public {
        vm.expectEmit(true, true, true, true, address(escrow));
        emit BidcloudEscrow.OperatorUpdated(operator, newcomer);
        vm.prank(admin);
        escrow.setOperator(newcomer);
        assertEq(escrow.operator(), newcomer, "operator");
    }

    function test_ownerSetsTheVerifier() public {
        vm.expectEmit(true, true, true, true, address(escrow));
        emit BidcloudEscrow.VerifierUpdated(verifier, newcomer);
        vm.prank(admin);
        escrow.setVerifier(newcomer);
        assertEq(escrow.verifier(), newcomer, "verifier");
    }

    function test_ownerSetsTheTreasury() public {
        vm.expectEmit(true, true, true, true, address(escrow));
        emit BidcloudEscrow.TreasuryUpdated(treasury, newcomer);
        vm.prank(admin);
        escrow.setTreasury(newcomer);
        assertEq(escrow.treasury(), newcomer, "treasury");
    }

    function test_ownerSetsTheFee() public {
        vm.expectEmit(true, true, true, true, address(escrow));
        emit BidcloudEscrow.FeeBpsUpdated(FEE_BPS, 1000);
        vm.prank(admin);
        escrow.setFeeBps(1000);
        assertEq(escrow.feeBps(), 1000, "fee");
        vm.prank(admin);
        escrow.setFeeBps(0);
        assertEq(escrow.feeBps(), 0, "zero fee");
    }

    function test_rejectsAFeeAboveTheMaximum() public {
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(BidcloudEscrow.FeeTooHigh.selector, uint16(1001)));
        escrow.setFeeBps(1001);
    }

    function test_rejectsZeroAddresses() public {
        vm.startPrank(admin);
        vm.expectRevert(BidcloudEscrow.ZeroAddress.selector);
        escrow.setOperator(address(0));
        vm.expectRevert(BidcloudEscrow.ZeroAddress.selector);
        escrow.setVerifier(address(0));
        vm.expectRevert(BidcloudEscrow.ZeroAddress.selector);
        escrow.setTreasury(address(0));
        vm.stopPrank();
    }

    function test_onlyTheOwnerAdministers() public {
        bytes memory notOwner = abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, operator);
        vm.startPrank(operator);
        vm.expectRevert(notOwner);
        escrow.setOperator(newcomer);
        vm.expectRevert(notOwner);
        escrow.setVerifier(newcomer);
        vm.expectRevert(notOwner);
        escrow.setTreasury(newcomer);
        vm.expectRevert(notOwner);
        escrow.setFeeBps(1);
        vm.expectRevert(notOwner);
        escrow.pause();
        vm.expectRevert(notOwner);
        escrow.unpause();
        vm.stopPrank();
    }

    function test_ownerPausesAndUnpauses() public {
        vm.expectEmit(true, true, true, true, address(escrow));
        emit Pausable.Paused(admin);
        vm.prank(admin);
        escrow.pause();
        assertTrue(escrow.paused(), "paused");

        vm.prank(admin);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        escrow.pause();

        vm.expectEmit(true, true, true, true, address(escrow));
        emit Pausable.Unpaused(admin);
        vm.prank(admin);
        escrow.unpause();
        assertFalse(escrow.paused(), "unpaused");

        vm.prank(admin);
        vm.expectRevert(Pausable.ExpectedPause.selector);
        escrow.unpause();
    }

    function test_ownershipMovesInTwoSteps() public {
        vm.prank(admin);
        escrow.transferOwnership(newcomer);
        assertEq(escrow.owner(), admin, "still the old owner");
        assertEq(escrow.pendingOwner(), newcomer, "pending");
        vm.prank(newcomer);
        escrow.acceptOwnership();
        assertEq(escrow.owner(), newcomer, "new owner");
    }
}

contract OpenAccountTest is EscrowFixture {
    function test_operatorOpensAnAccount() public {
        vm.expectEmit(true, true, true, true, address(escrow));
        emit BidcloudEscrow.AccountOpened(ACCOUNT, tenant);
        _openAccount(ACCOUNT, tenant);
        (address owner, uint8 state, uint256 balance, uint256 openLeases, uint256 totalDeposited) =
            escrow.getAccount(ACCOUNT);
        assertEq(owner, tenant, "owner");
        assertEq(state, ACCOUNT_OPEN, "state");
        assertEq(balance, 0, "balance");
        assertEq(openLeases, 0, "leases");
        assertEq(totalDeposited, 0, "deposited");
    }

    function test_unknownAccountsReadAsNone() public view {
        (address owner, uint8 state,,,) = escrow.getAccount(ACCOUNT);
        assertEq(owner, address(0), "owner");
        assertEq(state, ACCOUNT_NONE, "state");
    }

    function test_onlyTheOperatorOpensAccounts() public {
        vm.prank(tenant);
        vm.expectRevert(BidcloudEscrow.NotAuthorized.selector);
        escrow.openAccount(ACCOUNT, tenant);
    }

    function test_rejectsAZeroOwner() public {
        vm.prank(operator);
        vm.expectRevert(BidcloudEscrow.ZeroAddress.selector);
        escrow.openAccount(ACCOUNT, address(0));
    }

    function test_rejectsAnExistingId() public {
        _openAccount(ACCOUNT, tenant);
        vm.prank(operator);
        vm.expectRevert(BidcloudEscrow.AccountExists.selector);
        escrow.openAccount(ACCOUNT, stranger);
    }

    function test_aClosedAccountCannotBeReopened() public {
        _openAccount(ACCOUNT, tenant);
        vm.prank(tenant);
        escrow.closeAccount(ACCOUNT);
        vm.prank(operator);
        vm.expectRevert(BidcloudEscrow.AccountExists.selector);
        escrow.openAccount(ACCOUNT, tenant);
    }

    function test_isBlockedWhilePaused() public {
        vm.prank(admin);
        escrow.pause();
        vm.prank(operator);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        escrow.openAccount(ACCOUNT, tenant);
    }
}

contract DepositTest is EscrowFixture {
    function setUp() public override {
        super.setUp();
        _openAccount(ACCOUNT, tenant);
    }

    function test_pullsTokensAndCreditsTheAccount() public {
        usdc.mint(stranger, 5e6);
        vm.startPrank(stranger);
        usdc.approve(address(escrow), 5e6);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit BidcloudEscrow.Deposited(ACCOUNT, stranger, 5e6, 5e6);
        escrow.deposit(ACCOUNT, 5e6);
        vm.stopPrank();

        assertEq(usdc.balanceOf(address(escrow)), 5e6, "escrow holds it");
        assertEq(usdc.balanceOf(stranger), 0, "depositor paid");
        (,, uint256 balance,, uint256 totalDeposited) = escrow.getAccount(ACCOUNT);
        assertEq(balance, 5e6, "balance");
        assertEq(totalDeposited, 5e6, "deposited");
    }

    function test_aRepeatDepositorAddsToItsEntry() public {
        _deposit(tenant, ACCOUNT, 1e6);
        _deposit(stranger, ACCOUNT, 2e6);
        usdc.mint(tenant, 3e6);
        vm.startPrank(tenant);
        usdc.approve(address(escrow), 3e6);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit BidcloudEscrow.Deposited(ACCOUNT, tenant, 3e6, 6e6);
        escrow.deposit(ACCOUNT, 3e6);
        vm.stopPrank();

        (address[] memory depositors, uint256[] memory amounts) = escrow.getDepositors(ACCOUNT);
        assertEq(depositors.length, 2, "two depositors");
        assertEq(depositors[0], tenant, "first in order");
        assertEq(amounts[0], 4e6, "tenant's total");
        assertEq(depositors[1], stranger, "second in order");
        assertEq(amounts[1], 2e6, "stranger's total");
    }

    function test_acceptsSixteenDistinctDepositorsAndNoMore() public {
        for (uint256 i = 1; i <= 16; ++i) {
            _deposit(address(uint160(0x1000 + i)), ACCOUNT, i);
        }
        address seventeenth = address(0x2000);
        usdc.mint(seventeenth, 1);
        vm.startPrank(seventeenth);
        usdc.approve(address(escrow), 1);
        vm.expectRevert(BidcloudEscrow.TooManyDepositors.selector);
        escrow.deposit(ACCOUNT, 1);
        vm.stopPrank();

        _deposit(address(0x1001), ACCOUNT, 7);
        (address[] memory depositors, uint256[] memory amounts) = escrow.getDepositors(ACCOUNT);
        assertEq(depositors.length, 16, "still sixteen");
        assertEq(amounts[0], 8, "a known depositor can still add");
    }

    function test_rejectsZero() public {
        vm.prank(tenant);
        vm.expectRevert(BidcloudEscrow.ZeroAmount.selector);
        escrow.deposit(ACCOUNT, 0);
    }

    function test_rejectsAnUnknownAccount() public {
        usdc.mint(tenant, 1);
        vm.startPrank(tenant);
        usdc.approve(address(escrow), 1);
        vm.expectRevert(BidcloudEscrow.AccountNotOpen.selector);
        escrow.deposit(keccak256("nope"), 1);
        vm.stopPrank();
    }

    function test_rejectsAClosedAccount() public {
        vm.prank(tenant);
        escrow.closeAccount(ACCOUNT);
        usdc.mint(tenant, 1);
        vm.startPrank(tenant);
        usdc.approve(address(escrow), 1);
        vm.expectRevert(BidcloudEscrow.AccountNotOpen.selector);
        escrow.deposit(ACCOUNT, 1);
        vm.stopPrank();
    }

    function test_revertsWithoutAllowance() public {
        usdc.mint(tenant, 1e6);
        vm.prank(tenant);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(escrow), 0, 1e6)
        );
        escrow.deposit(ACCOUNT, 1e6);
    }

    function test_reopensAnOverdrawnAccount() public {
        _deposit(tenant, ACCOUNT, 1e6);
        _openLease(LEASE, ACCOUNT, RATE);
        vm.warp(START + 2);
        escrow.settle(LEASE, 2, _receipt(LEASE, 2));
        assertEq(_accountState(ACCOUNT), ACCOUNT_OVERDRAWN, "overdrawn");

        _deposit(tenant, ACCOUNT, 5e6);
        assertEq(_accountState(ACCOUNT), ACCOUNT_OPEN, "open again");
        assertEq(_balance(ACCOUNT), 5e6, "balance");
    }

    function test_isBlockedWhilePaused() public {
        usdc.mint(tenant, 1);
        vm.prank(tenant);
        usdc.approve(address(escrow), 1);
        vm.prank(admin);
        escrow.pause();
        vm.prank(tenant);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        escrow.deposit(ACCOUNT, 1);
    }
}

contract CloseAccountTest is EscrowFixture {
    address internal first = address(0x1111);
    address internal second = address(0x2222);
    address internal third = address(0x3333);

    function setUp() public override {
        super.setUp();
        _openAccount(ACCOUNT, tenant);
    }

    function test_refundsFirstInFirstOut() public {
        _deposit(first, ACCOUNT, 2e6);
        _deposit(second, ACCOUNT, 3e6);
        _deposit(third, ACCOUNT, 1e6);
        _openLease(LEASE, ACCOUNT, RATE); // 1e6 per second
        vm.warp(START + 3);
        bytes memory receipt = _receipt(LEASE, 3);
        vm.prank(provider);
        escrow.closeLease(LEASE, REASON_PROVIDER, 3, receipt);
        // 3e6 spent: all of first's 2e6, then 1e6 of second's 3e6.

        vm.expectEmit(true, true, true, true, address(escrow));
        emit BidcloudEscrow.Refunded(ACCOUNT, second, 2e6);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit BidcloudEscrow.Refunded(ACCOUNT, third, 1e6);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit BidcloudEscrow.AccountClosed(ACCOUNT, 3e6);
        vm.prank(tenant);
        escrow.closeAccount(ACCOUNT);

        assertEq(usdc.balanceOf(first), 0, "first's money was spent first");
        assertEq(usdc.balanceOf(second), 2e6, "second gets the rest of its deposit");
        assertEq(usdc.balanceOf(third), 1e6, "third is untouched");
        assertEq(_accountState(ACCOUNT), ACCOUNT_CLOSED, "closed");
        assertEq(_balance(ACCOUNT), 0, "balance");
        assertEq(usdc.balanceOf(address(escrow)), escrow.totalOwed(), "only what is owed remains");
    }

    function test_aRepeatDepositKeepsItsFirstPlaceInLine() public {
        _deposit(first, ACCOUNT, 1e6);
        _deposit(second, ACCOUNT, 1e6);
        _deposit(first, ACCOUNT, 1e6);
        _openLease(LEASE, ACCOUNT, RATE);
        vm.warp(START + 2);
        bytes memory receipt = _receipt(LEASE, 2);
        vm.prank(operator);
        escrow.closeLease(LEASE, REASON_ADMIN, 2, receipt);

        vm.prank(operator);
        escrow.closeAccount(ACCOUNT);
        assertEq(usdc.balanceOf(first), 0, "first's 2e6 entry is consumed first");
        assertEq(usdc.balanceOf(second), 1e6, "second keeps everything");
    }

    function test_operatorMayClose() public {
        _deposit(first, ACCOUNT, 5);
        vm.prank(operator);
        escrow.closeAccount(ACCOUNT);
        assertEq(usdc.balanceOf(first), 5, "refunded");
    }

    function test_anEmptyAccountClosesWithoutRefunds() public {
        vm.recordLogs();
        vm.prank(tenant);
        escrow.closeAccount(ACCOUNT);
        assertEq(vm.getRecordedLogs().length, 1, "only AccountClosed");
        assertEq(_accountState(ACCOUNT), ACCOUNT_CLOSED, "closed");
    }

    function test_anOverdrawnAccountClosesWithNothingToRefund() public {
        _deposit(first, ACCOUNT, 1e6);
        _openLease(LEASE, ACCOUNT, RATE);
        vm.warp(START + 5);
        escrow.settle(LEASE, 5, _receipt(LEASE, 5));
        assertEq(_accountState(ACCOUNT), ACCOUNT_OVERDRAWN, "overdrawn");

        vm.expectEmit(true, true, true, true, address(escrow));
        emit BidcloudEscrow.AccountClosed(ACCOUNT, 0);
        vm.prank(tenant);
        escrow.closeAccount(ACCOUNT);
        assertEq(usdc.balanceOf(first), 0, "nothing left");
    }

    function test_onlyTheOwnerOrOperatorCloses() public {
        vm.prank(stranger);
        vm.expectRevert(BidcloudEscrow.NotAuthorized.selector);
        escrow.closeAccount(ACCOUNT);
        vm.prank(provider);
        vm.expectRevert(BidcloudEscrow.NotAuthorized.selector);
        escrow.closeAccount(ACCOUNT);
    }

    function test_rejectsWhileLeasesAreOpen() public {
        _deposit(first, ACCOUNT, 1e6);
        _openLease(LEASE, ACCOUNT, RATE);
        vm.prank(tenant);
        vm.expectRevert(BidcloudEscrow.AccountHasOpenLeases.selector);
        escrow.closeAccount(ACCOUNT);
    }

    function test_rejectsAnUnknownOrClosedAccount() public {
        vm.prank(operator);
        vm.expectRevert(BidcloudEscrow.AccountNotOpen.selector);
        escrow.closeAccount(keccak256("nope"));

        vm.prank(tenant);
        escrow.closeAccount(ACCOUNT);
        vm.prank(tenant);
        vm.expectRevert(BidcloudEscrow.AccountNotOpen.selector);
        escrow.closeAccount(ACCOUNT);
    }

    function test_worksWhilePaused() public {
        _deposit(first, ACCOUNT, 9);
        vm.prank(admin);
        escrow.pause();
        vm.prank(tenant);
        escrow.closeAccount(ACCOUNT);
        assertEq(usdc.balanceOf(first), 9, "refunded while paused");
    }
}

contract OpenLeaseTest is EscrowFixture {
    function setUp() public override {
        super.setUp();
        _openAccount(ACCOUNT, tenant);
        _deposit(tenant, ACCOUNT, 100e6);
    }

    function test_operatorOpensALease() public {
        vm.warp(START + 10);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit BidcloudEscrow.LeaseOpened(LEASE, ACCOUNT, provider, RATE, uint64(START + 10));
        _openLease(LEASE, ACCOUNT, RATE);

        (
            bytes32 accountId,
            address leaseProvider,
            uint256 rate,
            uint64 startTime,
            uint64 settledSeconds,
            uint256 paid,
            uint8 state,
            uint8 closeReason
        ) = escrow.getLease(LEASE);
        assertEq(accountId, ACCOUNT, "account");
        assertEq(leaseProvider, provider, "provider");
        assertEq(rate, RATE, "rate");
        assertEq(startTime, START + 10, "start");
        assertEq(settledSeconds, 0, "settled");
        assertEq(paid, 0, "paid");
        assertEq(state, LEASE_OPEN, "state");
        assertEq(closeReason, 0, "reason");
        assertEq(_openLeases(ACCOUNT), 1, "account counts it");
    }

    function test_onlyTheOperatorOpensLeases() public {
        vm.prank(tenant);
        vm.expectRevert(BidcloudEscrow.NotAuthorized.selector);
        escrow.openLease(LEASE, ACCOUNT, provider, RATE);
    }

    function test_rejectsAZeroProvider() public {
        vm.prank(operator);
        vm.expectRevert(BidcloudEscrow.ZeroAddress.selector);
        escrow.openLease(LEASE, ACCOUNT, address(0), RATE);
    }

    function test_rejectsAZeroRate() public {
        vm.prank(operator);
        vm.expectRevert(BidcloudEscrow.ZeroRate.selector);
        escrow.openLease(LEASE, ACCOUNT, provider, 0);
    }

    function test_rejectsAUsedLeaseId() public {
        _openLease(LEASE, ACCOUNT, RATE);
        vm.prank(operator);
        vm.expectRevert(BidcloudEscrow.LeaseExists.selector);
        escrow.openLease(LEASE, ACCOUNT, provider, RATE);

        vm.prank(operator);
        escrow.closeLease(LEASE, REASON_ADMIN, 0, "");
        vm.prank(operator);
        vm.expectRevert(BidcloudEscrow.LeaseExists.selector);
        escrow.openLease(LEASE, ACCOUNT, provider, RATE);
    }

    function test_rejectsAnAccountThatIsNotOpen() public {
        vm.prank(operator);
        vm.expectRevert(BidcloudEscrow.AccountNotOpen.selector);
        escrow.openLease(LEASE, keccak256("nope"), provider, RATE);

        _openLease(LEASE, ACCOUNT, RATE);
        vm.warp(START + 200);
        escrow.settle(LEASE, 200, _receipt(LEASE, 200));
        assertEq(_accountState(ACCOUNT), ACCOUNT_OVERDRAWN, "overdrawn");
        vm.prank(operator);
        vm.expectRevert(BidcloudEscrow.AccountNotOpen.selector);
        escrow.openLease(keccak256("lease-2"), ACCOUNT, provider, RATE);

        vm.prank(tenant);
        escrow.closeAccount(ACCOUNT);
        vm.prank(operator);
        vm.expectRevert(BidcloudEscrow.AccountNotOpen.selector);
        escrow.openLease(keccak256("lease-3"), ACCOUNT, provider, RATE);
    }

    function test_isBlockedWhilePaused() public {
        vm.prank(admin);
        escrow.pause();
        vm.prank(operator);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        escrow.openLease(LEASE, ACCOUNT, provider, RATE);
    }
}

contract SettleTest is EscrowFixture {
    function setUp() public override {
        super.setUp();
        _fundedLease(100e6);
    }

    function test_paysTheProviderAndTheTreasury() public {
        vm.warp(START + 60);
        bytes memory receipt = _receipt(LEASE, 60);
        uint256 due = 60e6;
        uint256 fee = _fee(due);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit BidcloudEscrow.LeaseSettled(LEASE, ACCOUNT, provider, 60, due, fee);
        vm.prank(stranger);
        escrow.settle(LEASE, 60, receipt);

        assertEq(fee, 1_500_000, "2.5% of 60 USDC");
        assertEq(escrow.owed(provider), due - fee, "provider share");
        assertEq(escrow.owed(treasury), fee, "fee");
        assertEq(escrow.totalOwed(), due, "total owed");
        assertEq(_balance(ACCOUNT), 40e6, "balance");
        (uint64 settledSeconds, uint256 paid) = _settled(LEASE);
        assertEq(settledSeconds, 60, "settled");
        assertEq(paid, due, "paid");
        (uint8 state,) = _leaseState(LEASE);
        assertEq(state, LEASE_OPEN, "still open");
    }

    function test_paysOnlyTheIncrementOfACumulativeReceipt() public {
        vm.warp(START + 100);
        escrow.settle(LEASE, 30, _receipt(LEASE, 30));
        escrow.settle(LEASE, 75, _receipt(LEASE, 75));
        (uint64 settledSeconds, uint256 paid) = _settled(LEASE);
        assertEq(settledSeconds, 75, "settled");
        assertEq(paid, 75e6, "75 seconds in total");
        assertEq(_balance(ACCOUNT), 25e6, "balance");
    }

    function test_cumulativeFloorsNeverDrift() public {
        bytes32 slowLease = keccak256("slow");
        uint256 slowRate = uint256(1e18) / 3 + 1; // a third of a base unit per second, rounded up
        _openLease(slowLease, ACCOUNT, slowRate);
        vm.warp(START + 10);
        uint256 total;
        for (uint64 s = 1; s <= 10; ++s) {
            escrow.settle(slowLease, s, _receipt(slowLease, s));
        }
        (, total) = _settled(slowLease);
        assertEq(total, 10 * slowRate / 1e18, "sum of steps == floor of the total");
        assertEq(total, 3, "3.33.. floors to 3");
    }

    function test_feeRoundsUpAndTheProviderShareDown() public {
        bytes32 tinyLease = keccak256("tiny");
        _openLease(tinyLease, ACCOUNT, 1e18); // one base unit per second
        vm.warp(START + 1);
        escrow.settle(tinyLease, 1, _receipt(tinyLease, 1));
        assertEq(escrow.owed(treasury), 1, "fee on 1 unit rounds up to 1");
        assertEq(escrow.owed(provider), 0, "provider share rounds down");
    }

    function test_withoutAFeeTheProviderGetsEverything() public {
        vm.prank(admin);
        escrow.setFeeBps(0);
        vm.warp(START + 10);
        escrow.settle(LEASE, 10, _receipt(LEASE, 10));
        assertEq(escrow.owed(provider), 10e6, "provider");
        assertEq(escrow.owed(treasury), 0, "no fee");
    }

    function test_underfundedSettlementPaysWhatIsLeftAndClosesTheLease() public {
        vm.warp(START + 150);
        bytes memory receipt = _receipt(LEASE, 150);
        uint256 fee = _fee(100e6);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit BidcloudEscrow.LeaseSettled(LEASE, ACCOUNT, provider, 150, 100e6, fee);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit BidcloudEscrow.AccountOverdrawn(ACCOUNT);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit BidcloudEscrow.LeaseClosed(LEASE, ACCOUNT, REASON_INSUFFICIENT_FUNDS, stranger);
        vm.prank(stranger);
        escrow.settle(LEASE, 150, receipt);

        assertEq(_balance(ACCOUNT), 0, "drained");
        assertEq(_accountState(ACCOUNT), ACCOUNT_OVERDRAWN, "overdrawn");
        assertEq(_openLeases(ACCOUNT), 0, "lease no longer counted");
        (uint8 state, uint8 reason) = _leaseState(LEASE);
        assertEq(state, LEASE_CLOSED, "closed");
        assertEq(reason, REASON_INSUFFICIENT_FUNDS, "reason");
        (uint64 settledSeconds, uint256 paid) = _settled(LEASE);
        assertEq(settledSeconds, 150, "settled up to the receipt");
        assertEq(paid, 100e6, "paid what there was");
        assertEq(escrow.owed(provider) + escrow.owed(treasury), 100e6, "credited");
    }

    function test_exactlyExhaustingTheBalanceKeepsTheLeaseOpen() public {
        vm.warp(START + 100);
        escrow.settle(LEASE, 100, _receipt(LEASE, 100));
        assertEq(_balance(ACCOUNT), 0, "empty");
        assertEq(_accountState(ACCOUNT), ACCOUNT_OPEN, "not overdrawn");
        (uint8 state,) = _leaseState(LEASE);
        assertEq(state, LEASE_OPEN, "open");
    }

    function test_aSecondLeaseOnAnOverdrawnAccountClosesOnItsNextSettlement() public {
        bytes32 second = keccak256("lease-2");
        _openLease(second, ACCOUNT, RATE);
        vm.warp(START + 80);
        escrow.settle(LEASE, 80, _receipt(LEASE, 80));
        escrow.settle(second, 30, _receipt(second, 30));
        assertEq(_accountState(ACCOUNT), ACCOUNT_OVERDRAWN, "overdrawn");

        vm.recordLogs();
        vm.warp(START + 81);
        escrow.settle(LEASE, 81, _receipt(LEASE, 81));
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(_count(logs, BidcloudEscrow.AccountOverdrawn.selector), 0, "AccountOverdrawn only on the transition");
        assertEq(_count(logs, BidcloudEscrow.LeaseClosed.selector), 1, "the lease closes");
        assertEq(_openLeases(ACCOUNT), 0, "both leases closed");
    }
}

contract SettleRevertTest is EscrowFixture {
    uint256 private constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    function setUp() public override {
        super.setUp();
        _fundedLease(100e6);
        vm.warp(START + 50);
    }

    function test_rejectsAnUnknownLease() public {
        bytes32 unknown = keccak256("nope");
        bytes memory receipt = _receipt(unknown, 1);
        vm.expectRevert(BidcloudEscrow.LeaseNotOpen.selector);
        escrow.settle(unknown, 1, receipt);
    }

    function test_rejectsAClosedLease() public {
        vm.prank(tenant);
        escrow.closeLease(LEASE, REASON_OWNER, 0, "");
        bytes memory receipt = _receipt(LEASE, 10);
        vm.expectRevert(BidcloudEscrow.LeaseNotOpen.selector);
        escrow.settle(LEASE, 10, receipt);
    }

    function test_rejectsAReplayedReceipt() public {
        bytes memory receipt = _receipt(LEASE, 20);
        escrow.settle(LEASE, 20, receipt);
        vm.expectRevert(BidcloudEscrow.ReceiptNotNewer.selector);
        escrow.settle(LEASE, 20, receipt);
    }

    function test_rejectsAStaleReceipt() public {
        bytes memory older = _receipt(LEASE, 10);
        escrow.settle(LEASE, 20, _receipt(LEASE, 20));
        vm.expectRevert(BidcloudEscrow.ReceiptNotNewer.selector);
        escrow.settle(LEASE, 10, older);
    }

    function test_rejectsZeroSeconds() public {
        bytes memory receipt = _receipt(LEASE, 0);
        vm.expectRevert(BidcloudEscrow.ReceiptNotNewer.selector);
        escrow.settle(LEASE, 0, receipt);
    }

    function test_rejectsMoreSecondsThanHaveElapsed() public {
        bytes memory receipt = _receipt(LEASE, 51);
        vm.expectRevert(BidcloudEscrow.ReceiptExceedsElapsed.selector);
        escrow.settle(LEASE, 51, receipt);
        escrow.settle(LEASE, 50, _receipt(LEASE, 50));
    }

    function test_rejectsASignatureFromAnotherKey() public {
        bytes memory forged = _signWith(OTHER_KEY, escrow.receiptDigest(LEASE, 10));
        vm.expectRevert(BidcloudEscrow.InvalidReceipt.selector);
        escrow.settle(LEASE, 10, forged);
    }

    function test_rejectsAReceiptForOtherSeconds() public {
        bytes memory receipt = _receipt(LEASE, 10);
        vm.expectRevert(BidcloudEscrow.InvalidReceipt.selector);
        escrow.settle(LEASE, 11, receipt);
    }

    function test_rejectsAReceiptForAnotherLease() public {
        bytes32 other = keccak256("lease-2");
        _openLease(other, ACCOUNT, RATE);
        vm.warp(START + 100);
        bytes memory receipt = _receipt(LEASE, 10);
        vm.expectRevert(BidcloudEscrow.InvalidReceipt.selector);
        escrow.settle(other, 10, receipt);
    }

    function test_rejectsAReceiptSignedForAnotherChain() public {
        uint256 home = block.chainid;
        vm.chainId(home + 1);
        bytes memory foreign = _receipt(LEASE, 10);
        vm.chainId(home);
        vm.expectRevert(BidcloudEscrow.InvalidReceipt.selector);
        escrow.settle(LEASE, 10, foreign);

        bytes memory local = _receipt(LEASE, 10);
        vm.chainId(home + 1);
        vm.expectRevert(BidcloudEscrow.InvalidReceipt.selector);
        escrow.settle(LEASE, 10, local);
    }

    function test_rejectsAReceiptSignedForAnotherDeployment() public {
        BidcloudEscrow twin = new BidcloudEscrow(IERC20(address(usdc)), admin, operator, verifier, treasury, FEE_BPS);
        vm.startPrank(operator);
        twin.openAccount(ACCOUNT, tenant);
        twin.openLease(LEASE, ACCOUNT, provider, RATE);
        vm.stopPrank();
        vm.warp(START + 100);

        bytes memory forTwin = _signWith(VERIFIER_KEY, twin.receiptDigest(LEASE, 10));
        vm.expectRevert(BidcloudEscrow.InvalidReceipt.selector);
        escrow.settle(LEASE, 10, forTwin);
        bytes memory forEscrow = _receipt(LEASE, 10);
        vm.expectRevert(BidcloudEscrow.InvalidReceipt.selector);
        twin.settle(LEASE, 10, forEscrow);
    }

    function test_rejectsMalformedSignatures() public {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(VERIFIER_KEY, escrow.receiptDigest(LEASE, 10));

        vm.expectRevert(BidcloudEscrow.InvalidReceipt.selector);
        escrow.settle(LEASE, 10, "");

        // ERC-2098 compact form of a valid signature.
        bytes32 vs = bytes32(uint256(s) | (uint256(v - 27) << 255));
        vm.expectRevert(BidcloudEscrow.InvalidReceipt.selector);
        escrow.settle(LEASE, 10, abi.encodePacked(r, vs));

        vm.expectRevert(BidcloudEscrow.InvalidReceipt.selector);
        escrow.settle(LEASE, 10, abi.encodePacked(r, s, v, uint8(0)));

        // The malleable twin (s' = n - s, flipped v) recovers the same key; it must be refused.
        bytes memory twin = abi.encodePacked(r, bytes32(SECP256K1_N - uint256(s)), v == 27 ? uint8(28) : uint8(27));
        vm.expectRevert(BidcloudEscrow.InvalidReceipt.selector);
        escrow.settle(LEASE, 10, twin);

        vm.expectRevert(BidcloudEscrow.InvalidReceipt.selector);
        escrow.settle(LEASE, 10, abi.encodePacked(r, s, uint8(29)));

        vm.expectRevert(BidcloudEscrow.InvalidReceipt.selector);
        escrow.settle(LEASE, 10, abi.encodePacked(bytes32(0), bytes32(0), uint8(27)));

        escrow.settle(LEASE, 10, abi.encodePacked(r, s, v));
        (uint64 settledSeconds,) = _settled(LEASE);
        assertEq(settledSeconds, 10, "the well-formed signature is accepted");
    }

    function test_stopsAcceptingTheOldVerifierAfterRotation() public {
        bytes memory oldReceipt = _receipt(LEASE, 10);
        vm.prank(admin);
        escrow.setVerifier(vm.addr(OTHER_KEY));
        vm.expectRevert(BidcloudEscrow.InvalidReceipt.selector);
        escrow.settle(LEASE, 10, oldReceipt);
        escrow.settle(LEASE, 10, _signWith(OTHER_KEY, escrow.receiptDigest(LEASE, 10)));
    }

    function test_worksWhilePaused() public {
        vm.prank(admin);
        escrow.pause();
        escrow.settle(LEASE, 10, _receipt(LEASE, 10));
        assertEq(escrow.totalOwed(), 10e6, "settled while paused");
    }
}

contract CloseLeaseTest is EscrowFixture {
    function setUp() public override {
        super.setUp();
        _fundedLease(100e6);
        vm.warp(START + 50);
    }

    function test_theAccountOwnerCloses() public {
        _expectClosed(REASON_OWNER, tenant);
        vm.prank(tenant);
        escrow.closeLease(LEASE, REASON_OWNER, 0, "");
        _assertClosed(REASON_OWNER);
        assertEq(escrow.totalOwed(), 0, "no payment");
        assertEq(_balance(ACCOUNT), 100e6, "balance untouched");
    }

    function test_theProviderCloses() public {
        _expectClosed(REASON_UNSTABLE, provider);
        vm.prank(provider);
        escrow.closeLease(LEASE, REASON_UNSTABLE, 0, "");
        _assertClosed(REASON_UNSTABLE);
    }

    function test_theOperatorCloses() public {
        _expectClosed(REASON_MANIFEST_TIMEOUT, operator);
        vm.prank(operator);
        escrow.closeLease(LEASE, REASON_MANIFEST_TIMEOUT, 0, "");
        _assertClosed(REASON_MANIFEST_TIMEOUT);
    }

    function test_othersMayNotClose() public {
        vm.prank(stranger);
        vm.expectRevert(BidcloudEscrow.NotAuthorized.selector);
        escrow.closeLease(LEASE, REASON_OWNER, 0, "");
        vm.prank(treasury);
        vm.expectRevert(BidcloudEscrow.NotAuthorized.selector);
        escrow.closeLease(LEASE, REASON_OWNER, 0, "");
    }

    function test_rejectsAnUnknownReason() public {
        vm.prank(tenant);
        vm.expectRevert(BidcloudEscrow.InvalidReason.selector);
        escrow.closeLease(LEASE, 6, 0, "");
        vm.prank(operator);
        escrow.closeLease(LEASE, REASON_ADMIN, 0, "");
        _assertClosed(REASON_ADMIN);
    }

    function test_settlesANewerReceiptFirst() public {
        bytes memory receipt = _receipt(LEASE, 40);
        uint256 fee = _fee(40e6);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit BidcloudEscrow.LeaseSettled(LEASE, ACCOUNT, provider, 40, 40e6, fee);
        _expectClosed(REASON_OWNER, tenant);
        vm.prank(tenant);
        escrow.closeLease(LEASE, REASON_OWNER, 40, receipt);
        _assertClosed(REASON_OWNER);
        assertEq(escrow.owed(provider), 40e6 - fee, "provider paid");
        assertEq(_balance(ACCOUNT), 60e6, "balance");
    }

    function test_aRetryAfterSettlingClosesWithoutPayingAgain() public {
        bytes memory receipt = _receipt(LEASE, 40);
        escrow.settle(LEASE, 40, receipt);
        vm.prank(provider);
        escrow.closeLease(LEASE, REASON_PROVIDER, 40, receipt);
        _assertClosed(REASON_PROVIDER);
        (, uint256 paid) = _settled(LEASE);
        assertEq(paid, 40e6, "paid once");
    }

    function test_anOlderReceiptWithAnySignatureClosesWithoutPayment() public {
        escrow.settle(LEASE, 40, _receipt(LEASE, 40));
        vm.prank(tenant);
        escrow.closeLease(LEASE, REASON_OWNER, 30, hex"deadbeef");
        _assertClosed(REASON_OWNER);
        assertEq(_balance(ACCOUNT), 60e6, "nothing more paid");
    }

    function test_aNewerReceiptMustBeValid() public {
        bytes memory forged = _signWith(OTHER_KEY, escrow.receiptDigest(LEASE, 40));
        vm.prank(tenant);
        vm.expectRevert(BidcloudEscrow.InvalidReceipt.selector);
        escrow.closeLease(LEASE, REASON_OWNER, 40, forged);

        bytes memory early = _receipt(LEASE, 51);
        vm.prank(tenant);
        vm.expectRevert(BidcloudEscrow.ReceiptExceedsElapsed.selector);
        escrow.closeLease(LEASE, REASON_OWNER, 51, early);

        (uint8 state,) = _leaseState(LEASE);
        assertEq(state, LEASE_OPEN, "still open");
    }

    function test_anUnderfundedCloseEndsAsInsufficientFundsOnce() public {
        vm.warp(START + 500);
        bytes memory receipt = _receipt(LEASE, 500);
        vm.recordLogs();
        vm.prank(tenant);
        escrow.closeLease(LEASE, REASON_OWNER, 500, receipt);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(_count(logs, BidcloudEscrow.LeaseClosed.selector), 1, "closed once");
        assertEq(_count(logs, BidcloudEscrow.AccountOverdrawn.selector), 1, "overdrawn");
        _assertClosed(REASON_INSUFFICIENT_FUNDS);
        assertEq(_accountState(ACCOUNT), ACCOUNT_OVERDRAWN, "account overdrawn");
    }

    function test_aClosedLeaseStaysClosed() public {
        vm.prank(tenant);
        escrow.closeLease(LEASE, REASON_OWNER, 0, "");
        vm.prank(operator);
        vm.expectRevert(BidcloudEscrow.LeaseNotOpen.selector);
        escrow.closeLease(LEASE, REASON_ADMIN, 0, "");

        vm.prank(operator);
        vm.expectRevert(BidcloudEscrow.LeaseNotOpen.selector);
        escrow.closeLease(keccak256("nope"), REASON_ADMIN, 0, "");
    }

    function test_worksWhilePaused() public {
        vm.prank(admin);
        escrow.pause();
        bytes memory receipt = _receipt(LEASE, 10);
        vm.prank(tenant);
        escrow.closeLease(LEASE, REASON_OWNER, 10, receipt);
        _assertClosed(REASON_OWNER);
    }

    function _expectClosed(uint8 reason, address by) private {
        vm.expectEmit(true, true, true, true, address(escrow));
        emit BidcloudEscrow.LeaseClosed(LEASE, ACCOUNT, reason, by);
    }

    function _assertClosed(uint8 expectedReason) private view {
        (uint8 state, uint8 reason) = _leaseState(LEASE);
        assertEq(state, LEASE_CLOSED, "closed");
        assertEq(reason, expectedReason, "reason");
        assertEq(_openLeases(ACCOUNT), 0, "account no longer counts it");
    }
}

contract WithdrawTest is EscrowFixture {
    uint256 internal providerShare;
    uint256 internal fee;

    function setUp() public override {
        super.setUp();
        _fundedLease(100e6);
        vm.warp(START + 10);
        escrow.settle(LEASE, 10, _receipt(LEASE, 10));
        fee = _fee(10e6);
        providerShare = 10e6 - fee;
    }

    function test_paysTheCallerWhenToIsZero() public {
        vm.expectEmit(true, true, true, true, address(escrow));
        emit BidcloudEscrow.Withdrawn(provider, provider, providerShare);
        vm.prank(provider);
        uint256 amount = escrow.withdraw(address(0));
        assertEq(amount, providerShare, "returned amount");
        assertEq(usdc.balanceOf(provider), providerShare, "received");
        assertEq(escrow.owed(provider), 0, "owes nothing more");
        assertEq(escrow.totalOwed(), fee, "only the fee is still owed");
    }

    function test_paysAnotherAddress() public {
        vm.expectEmit(true, true, true, true, address(escrow));
        emit BidcloudEscrow.Withdrawn(provider, stranger, providerShare);
        vm.prank(provider);
        escrow.withdraw(stranger);
        assertEq(usdc.balanceOf(stranger), providerShare, "received");
        assertEq(usdc.balanceOf(provider), 0, "payee got nothing itself");
    }

    function test_theTreasuryWithdrawsFees() public {
        vm.prank(treasury);
        escrow.withdraw(address(0));
        assertEq(usdc.balanceOf(treasury), fee, "fee received");
    }

    function test_rejectsWhenNothingIsOwed() public {
        vm.prank(stranger);
        vm.expectRevert(BidcloudEscrow.NothingToWithdraw.selector);
        escrow.withdraw(address(0));

        vm.prank(provider);
        escrow.withdraw(address(0));
        vm.prank(provider);
        vm.expectRevert(BidcloudEscrow.NothingToWithdraw.selector);
        escrow.withdraw(address(0));
    }

    function test_worksWhilePaused() public {
        vm.prank(admin);
        escrow.pause();
        vm.prank(provider);
        escrow.withdraw(address(0));
        assertEq(usdc.balanceOf(provider), providerShare, "paid while paused");
    }
}

contract ViewsTest is EscrowFixture {
    function test_receiptDigestIsStandardEip712() public view {
        bytes32 domainSeparator = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("BidcloudEscrow"),
                keccak256("1"),
                block.chainid,
                address(escrow)
            )
        );
        bytes32 structHash =
            keccak256(abi.encode(keccak256("UsageReceipt(bytes32 leaseId,uint64 verifiedSeconds)"), LEASE, uint64(42)));
        bytes32 expected = keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
        assertEq(escrow.receiptDigest(LEASE, 42), expected, "digest");
    }

    function test_publishesItsEip712Domain() public view {
        (, string memory name, string memory version, uint256 chainId, address verifyingContract,,) =
            escrow.eip712Domain();
        assertEq(name, "BidcloudEscrow", "name");
        assertEq(version, "1", "version");
        assertEq(chainId, block.chainid, "chain");
        assertEq(verifyingContract, address(escrow), "contract");
    }

    function test_unknownIdsReadAsEmpty() public view {
        (address[] memory depositors, uint256[] memory amounts) = escrow.getDepositors(ACCOUNT);
        assertEq(depositors.length + amounts.length, 0, "no depositors");
        (uint8 state,) = _leaseState(LEASE);
        assertEq(state, 0, "lease none");
        assertEq(escrow.owed(provider), 0, "owed");
    }
}

contract TestUSDCTest is EscrowFixture {
    function test_isASixDecimalFaucetToken() public {
        assertEq(usdc.name(), "Test USD Coin", "name");
        assertEq(usdc.symbol(), "USDC", "symbol");
        assertEq(usdc.decimals(), 6, "decimals");
        vm.prank(stranger);
        usdc.mint(tenant, 123);
        assertEq(usdc.balanceOf(tenant), 123, "anyone can mint");
        assertEq(usdc.totalSupply(), 123, "supply");
    }
}
