// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {BidcloudEscrow} from "../src/BidcloudEscrow.sol";
import {Test} from "./utils/Test.sol";

/// @dev A token that calls back into the escrow whenever it moves tokens, once armed.
contract HostileToken is ERC20 {
    BidcloudEscrow public escrow;
    bytes public reentry;

    constructor() ERC20("Hostile", "HST") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function arm(BidcloudEscrow escrow_, bytes calldata reentry_) external {
        escrow = escrow_;
        reentry = reentry_;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (reentry.length != 0) {
            (bool ok, bytes memory data) = address(escrow).call(reentry);
            if (!ok) {
                assembly ("memory-safe") {
                    revert(add(data, 0x20), mload(data))
                }
            }
        }
    }
}

contract ReentrancyTest is Test {
    HostileToken internal token;
    BidcloudEscrow internal escrow;
    address internal operator = address(0x0FE);
    address internal tenant = address(0x7E1);
    bytes32 internal constant ACCOUNT = keccak256("account");

    function setUp() public {
        token = new HostileToken();
        escrow = new BidcloudEscrow(IERC20(address(token)), address(this), operator, address(0xBEEF), address(0x7EA), 0);
        vm.prank(operator);
        escrow.openAccount(ACCOUNT, tenant);
        token.mint(tenant, 10);
        vm.prank(tenant);
        token.approve(address(escrow), type(uint256).max);
    }

    function test_aDepositCannotReenter() public {
        token.arm(escrow, abi.encodeCall(escrow.deposit, (ACCOUNT, 1)));
        vm.prank(tenant);
        vm.expectRevert(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        escrow.deposit(ACCOUNT, 5);
    }

    function test_aRefundCannotReenterToCloseAgainOrWithdraw() public {
        vm.prank(tenant);
        escrow.deposit(ACCOUNT, 5);
        token.arm(escrow, abi.encodeCall(escrow.withdraw, (address(0))));
        vm.prank(tenant);
        vm.expectRevert(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        escrow.closeAccount(ACCOUNT);
        (,, uint256 balance,,) = escrow.getAccount(ACCOUNT);
        assertEq(balance, 5, "nothing moved");
    }
}
