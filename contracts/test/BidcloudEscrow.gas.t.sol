// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {EscrowFixture} from "./helpers/EscrowFixture.sol";
import {console} from "./utils/console.sol";

/// @notice Transaction gas of `settle`, the call made for every lease every settlement period.
/// The spec's budget is 80,000 gas for a whole transaction on a lease that has been settled
/// before. Measured as execution gas with the escrow's storage made cold again (`vm.cool`,
/// as it is at the start of a real transaction) plus the intrinsic cost of the transaction.
/// Under `--isolate` (which `--gas-report` turns on) every top-level call already is a
/// transaction whose intrinsic cost the caller pays, so it is not added a second time.
contract SettleGasTest is EscrowFixture {
    uint256 private constant SETTLE_GAS_BUDGET = 80_000;
    uint256 private constant TX_BASE_GAS = 21_000;

    function setUp() public override {
        super.setUp();
        _fundedLease(1_000_000e6);
        vm.warp(START + 7200);
    }

    function test_settleOnAWarmLeaseFitsTheBudget() public {
        escrow.settle(LEASE, 3600, _receipt(LEASE, 3600));
        bytes memory receipt = _receipt(LEASE, 7200);

        uint256 total = _transactionGas(abi.encodeCall(escrow.settle, (LEASE, 7200, receipt)));
        console.log("settle, lease settled before: transaction gas", total);
        assertLe(total, SETTLE_GAS_BUDGET, "settle exceeds its gas budget");
    }

    /// @dev The first settlement also pays for creating the payees' owed slots; reported, not budgeted.
    function test_firstSettleGas() public {
        bytes memory receipt = _receipt(LEASE, 3600);
        uint256 total = _transactionGas(abi.encodeCall(escrow.settle, (LEASE, 3600, receipt)));
        console.log("settle, first on a lease and payees: transaction gas", total);
        assertGt(total, 0, "measured");
    }

    function _transactionGas(bytes memory data) private returns (uint256) {
        bool isolated = _callsAreTransactions();
        vm.cool(address(escrow));
        uint256 before = gasleft();
        (bool ok,) = address(escrow).call(data);
        uint256 measured = before - gasleft();
        assertTrue(ok, "settle reverted");
        return isolated ? measured : TX_BASE_GAS + _calldataGas(data) + measured;
    }

    /// @dev An empty call costs far less than a transaction's base fee unless forge isolates it.
    function _callsAreTransactions() private returns (bool) {
        uint256 before = gasleft();
        (bool ok,) = address(usdc).call(abi.encodeCall(usdc.decimals, ()));
        assertTrue(ok, "probe");
        return before - gasleft() >= TX_BASE_GAS;
    }

    /// @dev EIP-2028 calldata pricing (Cancun): 16 gas per non-zero byte, 4 per zero byte.
    function _calldataGas(bytes memory data) private pure returns (uint256 gas) {
        for (uint256 i = 0; i < data.length; ++i) {
            gas += data[i] == 0 ? 4 : 16;
        }
    }
}
