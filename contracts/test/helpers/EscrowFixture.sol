// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {BidcloudEscrow} from "../../src/BidcloudEscrow.sol";
import {TestUSDC} from "../../src/TestUSDC.sol";
import {Test} from "../utils/Test.sol";
import {Vm} from "../utils/Vm.sol";

/// @notice A deployed escrow with known roles and a verifier key, plus short helpers.
abstract contract EscrowFixture is Test {
    uint256 internal constant VERIFIER_KEY = 0xA11CE;
    uint256 internal constant OTHER_KEY = 0xB0B;
    uint16 internal constant FEE_BPS = 250;
    uint256 internal constant START = 1_700_000_000;

    /// @dev 3,600 USDC per hour, i.e. exactly 1 USDC (1e6 base units) per second, as the
    /// 18-decimal per-second rate the operator derives from an hourly price.
    uint256 internal constant RATE = uint256(3_600e6) * 1e18 / 3600;

    uint8 internal constant REASON_OWNER = 0;
    uint8 internal constant REASON_PROVIDER = 1;
    uint8 internal constant REASON_UNSTABLE = 2;
    uint8 internal constant REASON_MANIFEST_TIMEOUT = 3;
    uint8 internal constant REASON_INSUFFICIENT_FUNDS = 4;
    uint8 internal constant REASON_ADMIN = 5;

    uint8 internal constant ACCOUNT_NONE = 0;
    uint8 internal constant ACCOUNT_OPEN = 1;
    uint8 internal constant ACCOUNT_OVERDRAWN = 2;
    uint8 internal constant ACCOUNT_CLOSED = 3;
    uint8 internal constant LEASE_OPEN = 1;
    uint8 internal constant LEASE_CLOSED = 2;

    bytes32 internal constant ACCOUNT = keccak256("account-1");
    bytes32 internal constant LEASE = keccak256("lease-1");

    address internal admin = address(0xAD);
    address internal operator = address(0x0FE);
    address internal treasury = address(0x7EA);
    address internal tenant = address(0x7E1);
    address internal provider = address(0x9A0);
    address internal stranger = address(0x5A5);
    address internal verifier;

    TestUSDC internal usdc;
    BidcloudEscrow internal escrow;

    function setUp() public virtual {
        vm.warp(START);
        verifier = vm.addr(VERIFIER_KEY);
        usdc = new TestUSDC();
        escrow = new BidcloudEscrow(IERC20(address(usdc)), admin, operator, verifier, treasury, FEE_BPS);
        vm.label(address(escrow), "escrow");
        vm.label(address(usdc), "usdc");
        vm.label(admin, "admin");
        vm.label(operator, "operator");
        vm.label(treasury, "treasury");
        vm.label(tenant, "tenant");
        vm.label(provider, "provider");
        vm.label(stranger, "stranger");
        vm.label(verifier, "verifier");
    }

    function _openAccount(bytes32 accountId, address owner) internal {
        vm.prank(operator);
        escrow.openAccount(accountId, owner);
    }

    function _deposit(address from, bytes32 accountId, uint256 amount) internal {
        usdc.mint(from, amount);
        vm.startPrank(from);
        usdc.approve(address(escrow), amount);
        escrow.deposit(accountId, amount);
        vm.stopPrank();
    }

    function _openLease(bytes32 leaseId, bytes32 accountId, uint256 rate) internal {
        vm.prank(operator);
        escrow.openLease(leaseId, accountId, provider, rate);
    }

    /// @dev An account funded by the tenant with one open lease at RATE.
    function _fundedLease(uint256 amount) internal {
        _openAccount(ACCOUNT, tenant);
        _deposit(tenant, ACCOUNT, amount);
        _openLease(LEASE, ACCOUNT, RATE);
    }

    function _receipt(bytes32 leaseId, uint64 verifiedSeconds) internal view returns (bytes memory) {
        return _signWith(VERIFIER_KEY, escrow.receiptDigest(leaseId, verifiedSeconds));
    }

    function _signWith(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function _due(uint256 rate, uint256 secondsFrom, uint256 secondsTo) internal pure returns (uint256) {
        return secondsTo * rate / 1e18 - secondsFrom * rate / 1e18;
    }

    function _fee(uint256 amount) internal pure returns (uint256) {
        return (amount * FEE_BPS + 9_999) / 10_000;
    }

    function _accountState(bytes32 accountId) internal view returns (uint8 state) {
        (, state,,,) = escrow.getAccount(accountId);
    }

    function _balance(bytes32 accountId) internal view returns (uint256 balance) {
        (,, balance,,) = escrow.getAccount(accountId);
    }

    function _openLeases(bytes32 accountId) internal view returns (uint256 openLeases) {
        (,,, openLeases,) = escrow.getAccount(accountId);
    }

    function _leaseState(bytes32 leaseId) internal view returns (uint8 state, uint8 reason) {
        (,,,,,, state, reason) = escrow.getLease(leaseId);
    }

    function _settled(bytes32 leaseId) internal view returns (uint64 settledSeconds, uint256 paid) {
        (,,,, settledSeconds, paid,,) = escrow.getLease(leaseId);
    }

    function _count(Vm.Log[] memory logs, bytes32 topic) internal pure returns (uint256 count) {
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics.length > 0 && logs[i].topics[0] == topic) ++count;
        }
    }
}
