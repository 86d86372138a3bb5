// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title BidcloudEscrow
/// @notice Holds tenants' prepaid funds for GPU leases and pays providers for usage that an
/// off-chain verifier has signed for. One account per deployment, one lease per accepted bid.
/// @dev Money only leaves through pull payments (`withdraw`) and refunds on `closeAccount`;
/// those paths, and `settle`/`closeLease`, ignore pause so funds can never be frozen.
contract BidcloudEscrow is EIP712, Ownable2Step, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    enum AccountState {
        None,
        Open,
        Overdrawn,
        Closed
    }

    enum LeaseState {
        None,
        Open,
        Closed
    }

    /// @dev Storage layout: slot 0 is read by every call touching the account; `balance` is
    /// the only slot `settle` writes.
    struct Account {
        address owner;
        AccountState state;
        uint64 openLeases;
        uint256 balance;
        uint256 totalDeposited;
    }

    /// @dev `settledSeconds` and `paid` share a slot so a settlement writes the lease once.
    struct Lease {
        bytes32 accountId;
        address provider;
        uint64 startTime;
        LeaseState state;
        uint8 closeReason;
        uint64 settledSeconds;
        uint192 paid;
        uint256 ratePerSecond;
    }

    uint16 public constant MAX_FEE_BPS = 1000;
    uint256 public constant MAX_DEPOSITORS = 16;

    uint256 private constant BPS_DENOMINATOR = 10_000;
    /// @dev `ratePerSecond` is token base units per second scaled by 1e18.
    uint256 private constant RATE_SCALE = 1e18;

    /// @dev Close reasons share their order with the off-chain enum.
    uint8 private constant REASON_INSUFFICIENT_FUNDS = 4;
    uint8 private constant MAX_REASON = 5;

    bytes32 private constant USAGE_RECEIPT_TYPEHASH = keccak256("UsageReceipt(bytes32 leaseId,uint64 verifiedSeconds)");

    IERC20 public immutable token;

    address public operator;
    address public verifier;
    address public treasury;
    uint16 public feeBps;
    uint256 public totalOwed;

    mapping(address payee => uint256 amount) public owed;

    mapping(bytes32 accountId => Account) private _accounts;
    mapping(bytes32 accountId => address[]) private _depositors;
    mapping(bytes32 accountId => mapping(address depositor => uint256 amount)) private _depositedBy;
    mapping(bytes32 leaseId => Lease) private _leases;

    event OperatorUpdated(address indexed previousOperator, address indexed newOperator);
    event VerifierUpdated(address indexed previousVerifier, address indexed newVerifier);
    event TreasuryUpdated(address indexed previousTreasury, address indexed newTreasury);
    event FeeBpsUpdated(uint16 previousFeeBps, uint16 newFeeBps);

    event AccountOpened(bytes32 indexed accountId, address indexed owner);
    event Deposited(bytes32 indexed accountId, address indexed depositor, uint256 amount, uint256 balance);
    event AccountOverdrawn(bytes32 indexed accountId);
    event Refunded(bytes32 indexed accountId, address indexed depositor, uint256 amount);
    event AccountClosed(bytes32 indexed accountId, uint256 refunded);

    event LeaseOpened(
        bytes32 indexed leaseId,
        bytes32 indexed accountId,
        address indexed provider,
        uint256 ratePerSecond,
        uint64 startTime
    );
    event LeaseSettled(
        bytes32 indexed leaseId,
        bytes32 indexed accountId,
        address indexed provider,
        uint64 verifiedSeconds,
        uint256 amount,
        uint256 fee
    );
    event LeaseClosed(bytes32 indexed leaseId, bytes32 indexed accountId, uint8 reason, address by);

    event Withdrawn(address indexed payee, address indexed to, uint256 amount);

    error ZeroAddress();
    error ZeroAmount();
    error ZeroRate();
    error FeeTooHigh(uint16 feeBps);
    error NotAuthorized();
    error AccountExists();
    error AccountNotOpen();
    error AccountHasOpenLeases();
    error TooManyDepositors();
    error LeaseExists();
    error LeaseNotOpen();
    error ReceiptNotNewer();
    error ReceiptExceedsElapsed();
    error InvalidReceipt();
    error InvalidReason();
    error NothingToWithdraw();

    modifier onlyOperator() {
        if (msg.sender != operator) revert NotAuthorized();
        _;
    }

    constructor(IERC20 token_, address owner_, address operator_, address verifier_, address treasury_, uint16 feeBps_)
        EIP712("BidcloudEscrow", "1")
        Ownable(owner_)
    {
        if (address(token_) == address(0)) revert ZeroAddress();
        token = token_;
        _setOperator(operator_);
        _setVerifier(verifier_);
        _setTreasury(treasury_);
        _setFeeBps(feeBps_);
    }

    // ---------------------------------------------------------------- administration

    function setOperator(address operator_) external onlyOwner {
        _setOperator(operator_);
    }

    function setVerifier(address verifier_) external onlyOwner {
        _setVerifier(verifier_);
    }

    function setTreasury(address treasury_) external onlyOwner {
        _setTreasury(treasury_);
    }

    function setFeeBps(uint16 feeBps_) external onlyOwner {
        _setFeeBps(feeBps_);
    }

    /// @notice Stops new money and new obligations coming in; payouts and refunds go on.
    function pause() external onlyOwner {
        _pause();
    }

    function unpause() external onlyOwner {
        _unpause();
    }

    // ---------------------------------------------------------------- accounts

    function openAccount(bytes32 accountId, address owner_) external onlyOperator whenNotPaused {
        if (owner_ == address(0)) revert ZeroAddress();
        Account storage account = _accounts[accountId];
        if (account.state != AccountState.None) revert AccountExists();
        account.owner = owner_;
        account.state = AccountState.Open;
        emit AccountOpened(accountId, owner_);
    }

    /// @notice Adds `amount` to the account, pulled from the caller. Anyone may fund any open
    /// or overdrawn account; a deposit brings an overdrawn account back to Open.
    function deposit(bytes32 accountId, uint256 amount) external whenNotPaused nonReentrant {
        if (amount == 0) revert ZeroAmount();
        Account storage account = _accounts[accountId];
        AccountState state = account.state;
        if (state != AccountState.Open && state != AccountState.Overdrawn) revert AccountNotOpen();

        uint256 previous = _depositedBy[accountId][msg.sender];
        if (previous == 0) {
            // Refunds loop over depositors, so the list is bounded to keep closeAccount's gas bounded.
            address[] storage depositors = _depositors[accountId];
            if (depositors.length >= MAX_DEPOSITORS) revert TooManyDepositors();
            depositors.push(msg.sender);
        }
        _depositedBy[accountId][msg.sender] = previous + amount;

        uint256 balance = account.balance + amount;
        account.balance = balance;
        account.totalDeposited += amount;
        if (state == AccountState.Overdrawn) account.state = AccountState.Open;

        emit Deposited(accountId, msg.sender, amount, balance);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Closes an account without open leases and refunds its balance to depositors.
    /// @dev Spending is first-in-first-out: the earliest depositors' money is consumed first,
    /// so each refund is what is left of a deposit after `totalDeposited - balance` has been
    /// taken in deposit order. Refunds sum exactly to the balance.
    function closeAccount(bytes32 accountId) external nonReentrant {
        Account storage account = _accounts[accountId];
        AccountState state = account.state;
        if (state != AccountState.Open && state != AccountState.Overdrawn) revert AccountNotOpen();
        if (msg.sender != account.owner && msg.sender != operator) revert NotAuthorized();
        if (account.openLeases != 0) revert AccountHasOpenLeases();

        uint256 balance = account.balance;
        uint256 spentLeft = account.totalDeposited - balance;
        account.balance = 0;
        account.state = AccountState.Closed;

        address[] storage depositors = _depositors[accountId];
        uint256 count = depositors.length;
        for (uint256 i = 0; i < count; ++i) {
            address depositor = depositors[i];
            uint256 deposited = _depositedBy[accountId][depositor];
            uint256 consumed = deposited < spentLeft ? deposited : spentLeft;
            spentLeft -= consumed;
            uint256 refund = deposited - consumed;
            if (refund != 0) {
                emit Refunded(accountId, depositor, refund);
                token.safeTransfer(depositor, refund);
            }
        }
        emit AccountClosed(accountId, balance);
    }

    // ---------------------------------------------------------------- leases

    function openLease(bytes32 leaseId, bytes32 accountId, address provider, uint256 ratePerSecond)
        external
        onlyOperator
        whenNotPaused
    {
        if (provider == address(0)) revert ZeroAddress();
        if (ratePerSecond == 0) revert ZeroRate();
        Lease storage lease = _leases[leaseId];
        if (lease.state != LeaseState.None) revert LeaseExists();
        Account storage account = _accounts[accountId];
        if (account.state != AccountState.Open) revert AccountNotOpen();

        uint64 startTime = uint64(block.timestamp);
        lease.accountId = accountId;
        lease.provider = provider;
        lease.startTime = startTime;
        lease.state = LeaseState.Open;
        lease.ratePerSecond = ratePerSecond;
        account.openLeases += 1;

        emit LeaseOpened(leaseId, accountId, provider, ratePerSecond, startTime);
    }

    /// @notice Pays for usage up to `verifiedSeconds` (cumulative since the lease started),
    /// as signed by the verifier. Anyone may submit a receipt.
    function settle(bytes32 leaseId, uint64 verifiedSeconds, bytes calldata signature) external nonReentrant {
        Lease storage lease = _leases[leaseId];
        if (lease.state != LeaseState.Open) revert LeaseNotOpen();
        _settle(leaseId, lease, verifiedSeconds, signature);
    }

    /// @notice Closes a lease, first settling with the receipt when it is newer than the last
    /// settlement. An older or empty receipt closes without further payment, so a retry after
    /// a settle cannot fail for staleness.
    function closeLease(bytes32 leaseId, uint8 reason, uint64 verifiedSeconds, bytes calldata signature)
        external
        nonReentrant
    {
        Lease storage lease = _leases[leaseId];
        if (lease.state != LeaseState.Open) revert LeaseNotOpen();
        bytes32 accountId = lease.accountId;
        Account storage account = _accounts[accountId];
        if (msg.sender != account.owner && msg.sender != lease.provider && msg.sender != operator) {
            revert NotAuthorized();
        }
        if (reason > MAX_REASON) revert InvalidReason();

        if (verifiedSeconds > lease.settledSeconds) {
            _settle(leaseId, lease, verifiedSeconds, signature);
            // An underfunded settlement has already closed the lease as InsufficientFunds.
            if (lease.state != LeaseState.Open) return;
        }
        _closeLease(leaseId, lease, account, reason);
    }

    // ---------------------------------------------------------------- payouts

    /// @notice Sends everything owed to the caller to `to` (the caller when `to` is zero).
    function withdraw(address to) external nonReentrant returns (uint256 amount) {
        amount = owed[msg.sender];
        if (amount == 0) revert NothingToWithdraw();
        if (to == address(0)) to = msg.sender;
        owed[msg.sender] = 0;
        totalOwed -= amount;
        emit Withdrawn(msg.sender, to, amount);
        token.safeTransfer(to, amount);
    }

    // ---------------------------------------------------------------- views

    function getAccount(bytes32 accountId)
        external
        view
        returns (address owner_, uint8 state, uint256 balance, uint256 openLeases, uint256 totalDeposited)
    {
        Account storage account = _accounts[accountId];
        return (account.owner, uint8(account.state), account.balance, account.openLeases, account.totalDeposited);
    }

    function getDepositors(bytes32 accountId)
        external
        view
        returns (address[] memory depositors, uint256[] memory amounts)
    {
        depositors = _depositors[accountId];
        amounts = new uint256[](depositors.length);
        for (uint256 i = 0; i < depositors.length; ++i) {
            amounts[i] = _depositedBy[accountId][depositors[i]];
        }
    }

    function getLease(bytes32 leaseId)
        external
        view
        returns (
            bytes32 accountId,
            address provider,
            uint256 ratePerSecond,
            uint64 startTime,
            uint64 settledSeconds,
            uint256 paid,
            uint8 state,
            uint8 closeReason
        )
    {
        Lease storage lease = _leases[leaseId];
        return (
            lease.accountId,
            lease.provider,
            lease.ratePerSecond,
            lease.startTime,
            lease.settledSeconds,
            lease.paid,
            uint8(lease.state),
            lease.closeReason
        );
    }

    /// @notice The EIP-712 digest the verifier signs. The domain binds it to this chain id and
    /// this contract's address, so a receipt is worthless on another chain or deployment.
    function receiptDigest(bytes32 leaseId, uint64 verifiedSeconds) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(USAGE_RECEIPT_TYPEHASH, leaseId, verifiedSeconds)));
    }

    // ---------------------------------------------------------------- internals

    function _settle(bytes32 leaseId, Lease storage lease, uint64 verifiedSeconds, bytes calldata signature) private {
        uint64 settledSeconds = lease.settledSeconds;
        if (verifiedSeconds <= settledSeconds) revert ReceiptNotNewer();
        // Usage is billed in whole seconds; a validator's few seconds of timestamp leeway can only
        // shift when a receipt becomes acceptable, never how much it pays.
        // forge-lint: disable-next-line(block-timestamp)
        if (verifiedSeconds > block.timestamp - lease.startTime) revert ReceiptExceedsElapsed();
        (address signer, ECDSA.RecoverError err,) =
            ECDSA.tryRecoverCalldata(receiptDigest(leaseId, verifiedSeconds), signature);
        if (err != ECDSA.RecoverError.NoError || signer != verifier) revert InvalidReceipt();

        // Cumulative floors: each settlement pays floor(total) - floor(already settled), so the
        // sum paid never exceeds floor(verifiedSeconds * rate) and rounding never drifts.
        uint256 rate = lease.ratePerSecond;
        uint256 due = Math.mulDiv(verifiedSeconds, rate, RATE_SCALE) - Math.mulDiv(settledSeconds, rate, RATE_SCALE);
        _pay(leaseId, lease, verifiedSeconds, due);
    }

    /// @dev Pays what the account can cover of `due`; a shortfall overdraws the account and
    /// closes the lease, since the provider cannot be paid for more of it.
    function _pay(bytes32 leaseId, Lease storage lease, uint64 verifiedSeconds, uint256 due) private {
        Account storage account = _accounts[lease.accountId];
        uint256 balance = account.balance;
        uint256 amount = due < balance ? due : balance;
        // The fee rounds up so that the provider's share is the part that rounds down.
        uint256 fee = Math.mulDiv(amount, feeBps, BPS_DENOMINATOR, Math.Rounding.Ceil);

        lease.settledSeconds = verifiedSeconds;
        lease.paid = SafeCast.toUint192(uint256(lease.paid) + amount);
        if (amount != 0) {
            account.balance = balance - amount;
            _credit(lease.provider, amount, fee);
        }
        emit LeaseSettled(leaseId, lease.accountId, lease.provider, verifiedSeconds, amount, fee);

        if (amount < due) {
            if (account.state == AccountState.Open) {
                account.state = AccountState.Overdrawn;
                emit AccountOverdrawn(lease.accountId);
            }
            _closeLease(leaseId, lease, account, REASON_INSUFFICIENT_FUNDS);
        }
    }

    function _credit(address provider, uint256 amount, uint256 fee) private {
        owed[provider] += amount - fee;
        if (fee != 0) owed[treasury] += fee;
        totalOwed += amount;
    }

    function _closeLease(bytes32 leaseId, Lease storage lease, Account storage account, uint8 reason) private {
        lease.state = LeaseState.Closed;
        lease.closeReason = reason;
        account.openLeases -= 1;
        emit LeaseClosed(leaseId, lease.accountId, reason, msg.sender);
    }

    function _setOperator(address operator_) private {
        if (operator_ == address(0)) revert ZeroAddress();
        emit OperatorUpdated(operator, operator_);
        operator = operator_;
    }

    function _setVerifier(address verifier_) private {
        if (verifier_ == address(0)) revert ZeroAddress();
        emit VerifierUpdated(verifier, verifier_);
        verifier = verifier_;
    }

    function _setTreasury(address treasury_) private {
        if (treasury_ == address(0)) revert ZeroAddress();
        emit TreasuryUpdated(treasury, treasury_);
        treasury = treasury_;
    }

    function _setFeeBps(uint16 feeBps_) private {
        if (feeBps_ > MAX_FEE_BPS) revert FeeTooHigh(feeBps_);
        emit FeeBpsUpdated(feeBps, feeBps_);
        feeBps = feeBps_;
    }
}
