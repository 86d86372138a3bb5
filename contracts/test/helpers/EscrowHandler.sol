// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {BidcloudEscrow} from "../../src/BidcloudEscrow.sol";
import {TestUSDC} from "../../src/TestUSDC.sol";
import {CommonBase} from "../utils/Test.sol";

/// @notice Drives the escrow through random sequences of what tenants, providers, the operator
/// and strangers can do, checking each step against a model and keeping ghost totals for the
/// invariants. Every call it makes is expected to succeed, or to fail with one named error;
/// anything else reverts the handler, which fails the run (fail_on_revert).
contract EscrowHandler is CommonBase {
    uint256 private constant MAX_ACCOUNTS = 12;
    uint256 private constant MAX_LIVE_ACCOUNTS = 4;
    uint256 private constant MAX_LEASES = 24;
    uint8 private constant OPEN = 1;
    uint8 private constant OVERDRAWN = 2;
    uint8 private constant REASON_INSUFFICIENT_FUNDS = 4;

    BidcloudEscrow public immutable escrow;
    BidcloudEscrow public immutable twin;
    TestUSDC public immutable usdc;
    uint256 private immutable verifierKey;
    address public immutable operator;
    address public immutable treasury;

    address[] public depositors;
    address[] public providers;
    address[] public owners;
    address public constant STRANGER = address(0x5A5);

    bytes32[] public accountIds;
    bytes32[] public leaseIds;

    struct LeaseModel {
        uint64 signedSeconds; // highest receipt the verifier has signed for this lease
        uint64 lastSettled; // seconds of the last receipt the escrow accepted
        bytes lastReceipt;
    }

    mapping(bytes32 leaseId => LeaseModel) private _leaseModel;
    mapping(bytes32 accountId => address[]) private _depositOrder;
    mapping(bytes32 accountId => mapping(address depositor => uint256)) private _deposited;

    mapping(bytes32 accountId => uint256) public ghostAccountDeposited;
    mapping(bytes32 accountId => uint256) public ghostAccountSpent;
    mapping(bytes32 accountId => uint256) public ghostAccountRefunded;

    uint256 public ghostDeposited;
    uint256 public ghostWithdrawn;
    uint256 public ghostRefunded;
    uint256 public ghostProviderCredited;
    uint256 public ghostFees;
    uint256 public ghostTreasuryWithdrawn;

    uint256 public misuseAttempts;
    uint256 public misuseAccepted;
    uint256 public zeroElapsedChecks;
    uint256 public zeroElapsedViolations;

    uint256 private _nonce;
    uint256 private _closedAccounts;

    constructor(BidcloudEscrow escrow_, BidcloudEscrow twin_, TestUSDC usdc_, uint256 verifierKey_) {
        escrow = escrow_;
        twin = twin_;
        usdc = usdc_;
        verifierKey = verifierKey_;
        operator = escrow_.operator();
        treasury = escrow_.treasury();
        for (uint160 i = 1; i <= 4; ++i) {
            depositors.push(address(0xD000 + i));
        }
        for (uint160 i = 1; i <= 3; ++i) {
            providers.push(address(0xF000 + i));
        }
        owners.push(address(0xA001));
        owners.push(address(0xA002));
    }

    // ------------------------------------------------------------ actions

    function openAccount(uint256 ownerSeed) external {
        if (accountIds.length >= MAX_ACCOUNTS || accountIds.length - _closedAccounts >= MAX_LIVE_ACCOUNTS) return;
        bytes32 accountId = keccak256(abi.encode("account", ++_nonce));
        vm.prank(operator);
        escrow.openAccount(accountId, owners[ownerSeed % owners.length]);
        accountIds.push(accountId);
    }

    function deposit(uint256 accountSeed, uint256 depositorSeed, uint256 amount) external {
        if (accountIds.length == 0) return;
        bytes32 accountId = accountIds[accountSeed % accountIds.length];
        address from = depositors[depositorSeed % depositors.length];
        amount = bound(amount, 1, 1e11);
        uint8 state = _accountState(accountId);
        if (state != OPEN && state != OVERDRAWN) {
            vm.prank(from);
            (bool refused, bytes memory reason) =
                address(escrow).call(abi.encodeCall(escrow.deposit, (accountId, amount)));
            _requireError(refused, reason, BidcloudEscrow.AccountNotOpen.selector, "deposit to a closed account");
            return;
        }
        _deposit(accountId, from, amount);
    }

    function _deposit(bytes32 accountId, address from, uint256 amount) private {
        usdc.mint(from, amount);
        vm.startPrank(from);
        usdc.approve(address(escrow), amount);
        escrow.deposit(accountId, amount);
        vm.stopPrank();
        require(_accountState(accountId) == OPEN, "a deposit leaves the account open");

        if (_deposited[accountId][from] == 0) _depositOrder[accountId].push(from);
        _deposited[accountId][from] += amount;
        ghostAccountDeposited[accountId] += amount;
        ghostDeposited += amount;
    }

    function openLease(uint256 accountSeed, uint256 providerSeed, uint256 rateSeed) external {
        if (accountIds.length == 0 || leaseIds.length >= MAX_LEASES) return;
        bytes32 accountId = accountIds[accountSeed % accountIds.length];
        bytes32 leaseId = keccak256(abi.encode("lease", ++_nonce));
        // A fifth of the leases cost less than one base unit a second, to exercise the floors.
        uint256 rate = rateSeed % 5 == 0 ? bound(rateSeed, 1, 1e18) : bound(rateSeed, 1e18, 2e24);
        address provider = providers[providerSeed % providers.length];
        // The operator opens leases on funded accounts; mostly mirror that so leases live long
        // enough to be settled, but keep some on empty accounts to hit overdrafts at once.
        if (_accountState(accountId) == OPEN && _accountBalance(accountId) == 0 && providerSeed % 4 != 0) {
            _deposit(accountId, depositors[rateSeed % depositors.length], bound(rateSeed, 1e6, 1e11));
        }

        vm.prank(operator);
        (bool ok, bytes memory reason) =
            address(escrow).call(abi.encodeCall(escrow.openLease, (leaseId, accountId, provider, rate)));
        if (_accountState(accountId) != OPEN) {
            _requireError(ok, reason, BidcloudEscrow.AccountNotOpen.selector, "lease on an account that is not open");
            return;
        }
        _requireSuccess(ok, reason);
        leaseIds.push(leaseId);
    }

    function settle(uint256 leaseSeed, uint256 secondsSeed, uint256 callerSeed) external {
        if (leaseIds.length == 0) return;
        bytes32 leaseId = leaseIds[leaseSeed % leaseIds.length];
        (uint64 startTime, uint64 settled, uint8 state) = _leaseTimes(leaseId);
        uint64 elapsed = uint64(block.timestamp - startTime);
        address caller = _anyone(callerSeed);

        if (state != OPEN) {
            (bool closedOk, bytes memory closedReason) = _submit(caller, leaseId, elapsed);
            _requireError(closedOk, closedReason, BidcloudEscrow.LeaseNotOpen.selector, "settle a closed lease");
            return;
        }
        if (elapsed <= settled && callerSeed % 4 != 0) {
            // Mostly let some usage accrue first; otherwise check the refusal of a stale receipt.
            vm.warp(block.timestamp + bound(secondsSeed, 1, 1 days));
            elapsed = uint64(block.timestamp - startTime);
        }
        if (elapsed <= settled) {
            (bool staleOk, bytes memory staleReason) = _submit(caller, leaseId, settled);
            _requireError(staleOk, staleReason, BidcloudEscrow.ReceiptNotNewer.selector, "settle without new usage");
            return;
        }
        uint64 verifiedSeconds = uint64(bound(secondsSeed, uint256(settled) + 1, elapsed));
        _settleChecked(caller, leaseId, verifiedSeconds, false, 0);
    }

    function closeLease(uint256 leaseSeed, uint256 reasonSeed, uint256 secondsSeed, uint256 callerSeed, bool pay)
        external
    {
        if (leaseIds.length == 0) return;
        bytes32 leaseId = leaseIds[leaseSeed % leaseIds.length];
        (uint64 startTime, uint64 settled, uint8 state) = _leaseTimes(leaseId);
        address caller = _leaseParty(leaseId, callerSeed);
        uint8 reason = uint8(reasonSeed % 7);

        if (state != OPEN || caller == STRANGER || reason > 5) {
            vm.prank(caller);
            (bool ok, bytes memory err) =
                address(escrow).call(abi.encodeCall(escrow.closeLease, (leaseId, reason, 0, "")));
            bytes4 expected = state != OPEN
                ? BidcloudEscrow.LeaseNotOpen.selector
                : caller == STRANGER ? BidcloudEscrow.NotAuthorized.selector : BidcloudEscrow.InvalidReason.selector;
            _requireError(ok, err, expected, "refused close");
            return;
        }

        uint64 elapsed = uint64(block.timestamp - startTime);
        if (pay && elapsed > settled) {
            _settleChecked(caller, leaseId, uint64(bound(secondsSeed, uint256(settled) + 1, elapsed)), true, reason);
        } else {
            _closeWithoutNewUsage(caller, leaseId, reason, uint64(bound(secondsSeed, 0, settled)), secondsSeed);
        }
        (,, uint8 stateAfter) = _leaseTimes(leaseId);
        require(stateAfter == 2, "the lease is closed");
    }

    function withdraw(uint256 payeeSeed, uint256 toSeed) external {
        address payee = payeeSeed % 4 == 3 ? treasury : providers[payeeSeed % 3];
        address to = toSeed % 3 == 0 ? address(0) : address(uint160(0xE000 + toSeed % 5));
        address recipient = to == address(0) ? payee : to;
        uint256 amount = escrow.owed(payee);
        uint256 recipientBefore = usdc.balanceOf(recipient);

        vm.prank(payee);
        (bool ok, bytes memory returned) = address(escrow).call(abi.encodeCall(escrow.withdraw, (to)));
        if (amount == 0) {
            _requireError(ok, returned, BidcloudEscrow.NothingToWithdraw.selector, "withdraw nothing");
            return;
        }
        _requireSuccess(ok, returned);
        require(abi.decode(returned, (uint256)) == amount, "withdraw returns the amount");
        require(usdc.balanceOf(recipient) - recipientBefore == amount, "recipient receives everything owed");
        require(escrow.owed(payee) == 0, "nothing owed afterwards");
        ghostWithdrawn += amount;
        if (payee == treasury) ghostTreasuryWithdrawn += amount;
    }

    function closeAccount(uint256 accountSeed, uint256 callerSeed) external {
        if (accountIds.length == 0) return;
        bytes32 accountId = accountIds[accountSeed % accountIds.length];
        (address owner, uint8 state, uint256 balance, uint256 openLeases,) = escrow.getAccount(accountId);
        // Closing is final, so it is attempted on a quarter of the calls to let accounts live.
        uint256 pick = callerSeed % 8;
        if (pick > 2) return;
        address caller = pick == 0 ? owner : pick == 1 ? operator : STRANGER;

        address[] memory order = _depositOrder[accountId];
        uint256[] memory before = new uint256[](order.length);
        for (uint256 i = 0; i < order.length; ++i) {
            before[i] = usdc.balanceOf(order[i]);
        }
        vm.prank(caller);
        (bool ok, bytes memory reason) = address(escrow).call(abi.encodeCall(escrow.closeAccount, (accountId)));
        if (state != OPEN && state != OVERDRAWN) {
            _requireError(ok, reason, BidcloudEscrow.AccountNotOpen.selector, "close a closed account");
            return;
        }
        if (caller == STRANGER) {
            _requireError(ok, reason, BidcloudEscrow.NotAuthorized.selector, "stranger closes an account");
            return;
        }
        if (openLeases != 0) {
            _requireError(ok, reason, BidcloudEscrow.AccountHasOpenLeases.selector, "close with open leases");
            return;
        }
        _requireSuccess(ok, reason);
        uint256 refunded = _checkRefunds(accountId, order, before);
        require(refunded == balance, "refunds sum to the balance");
        ghostAccountRefunded[accountId] += refunded;
        ghostRefunded += refunded;
        ++_closedAccounts;
    }

    /// @dev First in, first out: the model's spending is taken from the earliest deposits.
    function _checkRefunds(bytes32 accountId, address[] memory order, uint256[] memory before)
        private
        view
        returns (uint256 refunded)
    {
        uint256 spentLeft = ghostAccountSpent[accountId];
        for (uint256 i = 0; i < order.length; ++i) {
            uint256 deposited = _deposited[accountId][order[i]];
            uint256 consumed = deposited < spentLeft ? deposited : spentLeft;
            spentLeft -= consumed;
            uint256 received = usdc.balanceOf(order[i]) - before[i];
            require(received == deposited - consumed, "refund is what is left of the deposit, FIFO");
            refunded += received;
        }
    }

    function warp(uint256 secondsSeed) external {
        vm.warp(block.timestamp + bound(secondsSeed, 0, 1 days));
    }

    /// @notice Receipts must not pay twice, nor for another lease, chain or deployment.
    function misuseReceipt(uint256 leaseSeed, uint256 otherSeed, uint256 mode) external {
        if (leaseIds.length == 0) return;
        bytes32 leaseId = leaseIds[leaseSeed % leaseIds.length];
        (uint64 startTime, uint64 settled, uint8 state) = _leaseTimes(leaseId);
        uint64 elapsed = uint64(block.timestamp - startTime);
        mode %= 4;
        bytes memory receipt;
        uint64 verifiedSeconds;
        bytes32 target = leaseId;

        if (mode == 0) {
            // Replay of the last accepted receipt on its own lease.
            LeaseModel storage model = _leaseModel[leaseId];
            if (model.lastReceipt.length == 0) return;
            receipt = model.lastReceipt;
            verifiedSeconds = model.lastSettled;
        } else if (mode == 1) {
            // A lease's receipt presented for another lease.
            LeaseModel storage model = _leaseModel[leaseId];
            if (model.lastReceipt.length == 0 || leaseIds.length < 2) return;
            target = leaseIds[otherSeed % leaseIds.length];
            if (target == leaseId) return;
            receipt = model.lastReceipt;
            verifiedSeconds = model.lastSettled;
        } else {
            // A receipt that would be valid here, signed for another chain or another escrow.
            if (state != OPEN || elapsed <= settled) return;
            verifiedSeconds = uint64(bound(otherSeed, uint256(settled) + 1, elapsed));
            bytes32 digest;
            if (mode == 2) {
                uint256 home = block.chainid;
                vm.chainId(home + 1 + otherSeed % 1000);
                digest = escrow.receiptDigest(leaseId, verifiedSeconds);
                vm.chainId(home);
            } else {
                digest = twin.receiptDigest(leaseId, verifiedSeconds);
            }
            receipt = _sign(digest);
        }

        ++misuseAttempts;
        uint256 owedBefore = escrow.totalOwed();
        (, uint64 targetSettledBefore, uint8 targetStateBefore) = _leaseTimes(target);
        vm.prank(STRANGER);
        (bool ok,) = address(escrow).call(abi.encodeCall(escrow.settle, (target, verifiedSeconds, receipt)));
        (, uint64 targetSettledAfter, uint8 targetStateAfter) = _leaseTimes(target);
        if (
            ok || escrow.totalOwed() != owedBefore || targetSettledAfter != targetSettledBefore
                || targetStateAfter != targetStateBefore
        ) ++misuseAccepted;
    }

    /// @notice Right after a lease opens: settling fails only with the documented errors,
    /// closing succeeds, and nothing is paid; a withdrawal with nothing owed is refused.
    function atZeroElapsed(uint256 accountSeed, uint256 providerSeed, uint256 rateSeed) external {
        if (accountIds.length == 0 || leaseIds.length >= MAX_LEASES) return;
        bytes32 accountId = accountIds[accountSeed % accountIds.length];
        if (_accountState(accountId) != OPEN) return;
        bytes32 leaseId = keccak256(abi.encode("lease", ++_nonce));
        vm.prank(operator);
        escrow.openLease(leaseId, accountId, providers[providerSeed % providers.length], bound(rateSeed, 1, 2e24));
        ++zeroElapsedChecks;

        uint256 owedBefore = escrow.totalOwed();
        uint256 balanceBefore = _accountBalance(accountId);
        (bool ok, bytes memory reason) = _submit(STRANGER, leaseId, 0);
        if (ok || bytes4(reason) != BidcloudEscrow.ReceiptNotNewer.selector) ++zeroElapsedViolations;
        (ok, reason) = _submit(STRANGER, leaseId, 1);
        if (ok || bytes4(reason) != BidcloudEscrow.ReceiptExceedsElapsed.selector) ++zeroElapsedViolations;

        vm.prank(operator);
        (ok,) = address(escrow).call(abi.encodeCall(escrow.closeLease, (leaseId, 0, 0, _sign(bytes32(0)))));
        if (!ok) ++zeroElapsedViolations;
        (,, uint8 state) = _leaseTimes(leaseId);
        if (state != 2) ++zeroElapsedViolations;

        vm.prank(STRANGER);
        (ok, reason) = address(escrow).call(abi.encodeCall(escrow.withdraw, (address(0))));
        if (ok || bytes4(reason) != BidcloudEscrow.NothingToWithdraw.selector) ++zeroElapsedViolations;
        if (escrow.totalOwed() != owedBefore || _accountBalance(accountId) != balanceBefore) {
            ++zeroElapsedViolations;
        }
    }

    // ------------------------------------------------------------ views for the invariants

    function accountCount() external view returns (uint256) {
        return accountIds.length;
    }

    function leaseCount() external view returns (uint256) {
        return leaseIds.length;
    }

    function signedSeconds(bytes32 leaseId) external view returns (uint64) {
        return _leaseModel[leaseId].signedSeconds;
    }

    function payees() external view returns (address[] memory list) {
        list = new address[](providers.length + 1);
        for (uint256 i = 0; i < providers.length; ++i) {
            list[i] = providers[i];
        }
        list[providers.length] = treasury;
    }

    // ------------------------------------------------------------ internals

    struct Expectation {
        bytes32 accountId;
        address provider;
        uint256 due;
        uint256 balance;
        uint256 pay;
        uint256 fee;
        uint256 providerBefore;
        uint256 treasuryBefore;
    }

    /// @dev Settles (or closes with a newer receipt) and checks the payment against the model.
    function _settleChecked(address caller, bytes32 leaseId, uint64 verifiedSeconds, bool closing, uint8 reason)
        private
    {
        Expectation memory e = _expect(leaseId, verifiedSeconds);
        bytes memory receipt = _signReceipt(leaseId, verifiedSeconds);

        vm.prank(caller);
        if (closing) escrow.closeLease(leaseId, reason, verifiedSeconds, receipt);
        else escrow.settle(leaseId, verifiedSeconds, receipt);

        (,,,, uint64 settledAfter,, uint8 state, uint8 closeReason) = escrow.getLease(leaseId);
        require(settledAfter == verifiedSeconds, "settled up to the receipt");
        require(escrow.owed(e.provider) - e.providerBefore == e.pay - e.fee, "provider credit");
        require(escrow.owed(treasury) - e.treasuryBefore == e.fee, "fee credit");
        require(_accountBalance(e.accountId) == e.balance - e.pay, "account charged what was paid");
        if (e.pay < e.due) {
            require(state == 2 && closeReason == REASON_INSUFFICIENT_FUNDS, "underfunded lease closes");
            require(_accountState(e.accountId) == OVERDRAWN, "underfunded account is overdrawn");
        } else if (closing) {
            require(state == 2 && closeReason == reason, "closed with the caller's reason");
        } else {
            require(state == OPEN, "a funded settlement keeps the lease open");
        }

        LeaseModel storage model = _leaseModel[leaseId];
        model.lastSettled = verifiedSeconds;
        model.lastReceipt = receipt;
        ghostAccountSpent[e.accountId] += e.pay;
        ghostProviderCredited += e.pay - e.fee;
        ghostFees += e.fee;
    }

    /// @dev The model: cumulative floors, capped by the balance, fee rounded up.
    function _expect(bytes32 leaseId, uint64 verifiedSeconds) private view returns (Expectation memory e) {
        uint256 rate;
        uint64 settled;
        (e.accountId, e.provider, rate,, settled,,,) = escrow.getLease(leaseId);
        e.due = _floor(verifiedSeconds, rate) - _floor(settled, rate);
        e.balance = _accountBalance(e.accountId);
        e.pay = e.due < e.balance ? e.due : e.balance;
        e.fee = (e.pay * escrow.feeBps() + 9_999) / 10_000;
        e.providerBefore = escrow.owed(e.provider);
        e.treasuryBefore = escrow.owed(treasury);
    }

    /// @dev With no newer usage, any receipt, even garbage, closes without payment.
    function _closeWithoutNewUsage(address caller, bytes32 leaseId, uint8 reason, uint64 verifiedSeconds, uint256 junk)
        private
    {
        (bytes32 accountId,,,,,,,) = escrow.getLease(leaseId);
        uint256 owedBefore = escrow.totalOwed();
        uint256 balanceBefore = _accountBalance(accountId);
        vm.prank(caller);
        escrow.closeLease(leaseId, reason, verifiedSeconds, abi.encodePacked(junk));
        require(escrow.totalOwed() == owedBefore, "a close without new usage pays nothing");
        require(_accountBalance(accountId) == balanceBefore, "a close without new usage charges nothing");
    }

    /// @dev The account owner, the provider, the operator or a stranger.
    function _leaseParty(bytes32 leaseId, uint256 seed) private view returns (address) {
        (bytes32 accountId, address provider,,,,,,) = escrow.getLease(leaseId);
        (address owner,,,,) = escrow.getAccount(accountId);
        uint256 pick = seed % 4;
        return pick == 0 ? owner : pick == 1 ? provider : pick == 2 ? operator : STRANGER;
    }

    function _submit(address caller, bytes32 leaseId, uint64 verifiedSeconds)
        private
        returns (bool ok, bytes memory reason)
    {
        bytes memory receipt = _signReceipt(leaseId, verifiedSeconds);
        vm.prank(caller);
        (ok, reason) = address(escrow).call(abi.encodeCall(escrow.settle, (leaseId, verifiedSeconds, receipt)));
    }

    function _signReceipt(bytes32 leaseId, uint64 verifiedSeconds) private returns (bytes memory) {
        LeaseModel storage model = _leaseModel[leaseId];
        if (verifiedSeconds > model.signedSeconds) model.signedSeconds = verifiedSeconds;
        return _sign(escrow.receiptDigest(leaseId, verifiedSeconds));
    }

    function _sign(bytes32 digest) private view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(verifierKey, digest);
        return abi.encodePacked(r, s, v);
    }

    function _anyone(uint256 seed) private view returns (address) {
        uint256 pick = seed % 3;
        return pick == 0 ? STRANGER : pick == 1 ? operator : depositors[seed % depositors.length];
    }

    function _floor(uint64 secondsUsed, uint256 rate) private pure returns (uint256) {
        return uint256(secondsUsed) * rate / 1e18;
    }

    function _leaseTimes(bytes32 leaseId) private view returns (uint64 startTime, uint64 settled, uint8 state) {
        (,,, startTime, settled,, state,) = escrow.getLease(leaseId);
    }

    function _accountState(bytes32 accountId) private view returns (uint8 state) {
        (, state,,,) = escrow.getAccount(accountId);
    }

    function _accountBalance(bytes32 accountId) private view returns (uint256 balance) {
        (,, balance,,) = escrow.getAccount(accountId);
    }

    /// @dev Re-raises the escrow's own error so the failing run names it.
    function _requireSuccess(bool ok, bytes memory reason) private pure {
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(reason, 0x20), mload(reason))
            }
        }
    }

    function _requireError(bool ok, bytes memory reason, bytes4 selector, string memory what) private pure {
        require(!ok, string.concat("expected a revert: ", what));
        require(reason.length >= 4 && bytes4(reason) == selector, string.concat("wrong error: ", what));
    }
}
