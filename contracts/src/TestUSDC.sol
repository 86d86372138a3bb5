// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title TestUSDC
/// @notice A faucet stand-in for USDC on local and test chains only: anyone can mint any
/// amount, so it has no value and must never be deployed where real money is expected.
contract TestUSDC is ERC20 {
    constructor() ERC20("Test USD Coin", "USDC") {}

    /// @dev USDC uses 6 decimals; amounts across Bidcloud are base units of this token.
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice Open faucet: mints `amount` base units to `to`. Local chains only.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
