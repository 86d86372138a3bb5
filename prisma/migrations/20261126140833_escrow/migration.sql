-- CreateEnum
CREATE TYPE "LeaseChainState" AS ENUM ('pending', 'open', 'closed');

-- CreateEnum
CREATE TYPE "EscrowAccountState" AS ENUM ('pending', 'open', 'overdrawn', 'closed');

-- CreateEnum
CREATE TYPE "LedgerKind" AS ENUM ('deposit', 'settlement', 'refund', 'withdrawal');

-- CreateEnum
CREATE TYPE "ChainTxStatus" AS ENUM ('pending', 'signed', 'submitted', 'confirmed', 'failed');

-- AlterTable
ALTER TABLE "lease" ADD COLUMN     "chainLeaseId" TEXT,
ADD COLUMN     "chainStartedAt" TIMESTAMP(3),
ADD COLUMN     "chainState" "LeaseChainState",
ADD COLUMN     "escrowAccountId" TEXT,
ADD COLUMN     "paidAmount" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "settledSeconds" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "wallet" (
    "accountId" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "wallet_pkey" PRIMARY KEY ("accountId")
);

-- CreateTable
CREATE TABLE "escrow_account" (
    "id" TEXT NOT NULL,
    "deploymentId" TEXT NOT NULL,
    "chainId" INTEGER NOT NULL,
    "chainAccountId" TEXT NOT NULL,
    "ownerAddress" TEXT NOT NULL,
    "tokenAddress" TEXT NOT NULL,
    "state" "EscrowAccountState" NOT NULL DEFAULT 'pending',
    "autoTopUpAmount" BIGINT,
    "autoTopUpBelowSeconds" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "escrow_account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_entry" (
    "id" BIGSERIAL NOT NULL,
    "entryGroup" TEXT NOT NULL,
    "ledgerAccount" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "kind" "LedgerKind" NOT NULL,
    "escrowAccountId" TEXT,
    "leaseId" TEXT,
    "txHash" TEXT NOT NULL,
    "blockNumber" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chain_tx" (
    "id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "chainId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "signer" TEXT NOT NULL,
    "fromAddress" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "status" "ChainTxStatus" NOT NULL DEFAULT 'pending',
    "nonce" INTEGER,
    "txHash" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "escrowAccountId" TEXT,
    "leaseId" TEXT,
    "blockNumber" BIGINT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "submittedAt" TIMESTAMP(3),
    "confirmedAt" TIMESTAMP(3),

    CONSTRAINT "chain_tx_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chain_tx_send" (
    "txHash" TEXT NOT NULL,
    "chainTxId" TEXT NOT NULL,
    "rawTx" TEXT NOT NULL,
    "maxFeePerGas" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chain_tx_send_pkey" PRIMARY KEY ("txHash")
);

-- CreateTable
CREATE TABLE "chain_nonce" (
    "chainId" INTEGER NOT NULL,
    "address" TEXT NOT NULL,
    "next" INTEGER NOT NULL,

    CONSTRAINT "chain_nonce_pkey" PRIMARY KEY ("chainId","address")
);

-- CreateTable
CREATE TABLE "chain_cursor" (
    "name" TEXT NOT NULL,
    "block" BIGINT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "chain_cursor_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "usage_receipt" (
    "id" TEXT NOT NULL,
    "leaseId" TEXT NOT NULL,
    "verifiedSeconds" INTEGER NOT NULL,
    "signature" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_receipt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "wallet_address_key" ON "wallet"("address");

-- CreateIndex
CREATE UNIQUE INDEX "escrow_account_deploymentId_key" ON "escrow_account"("deploymentId");

-- CreateIndex
CREATE UNIQUE INDEX "escrow_account_chainAccountId_key" ON "escrow_account"("chainAccountId");

-- CreateIndex
CREATE INDEX "ledger_entry_ledgerAccount_id_idx" ON "ledger_entry"("ledgerAccount", "id");

-- CreateIndex
CREATE INDEX "ledger_entry_escrowAccountId_idx" ON "ledger_entry"("escrowAccountId");

-- CreateIndex
CREATE INDEX "ledger_entry_leaseId_idx" ON "ledger_entry"("leaseId");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entry_entryGroup_ledgerAccount_key" ON "ledger_entry"("entryGroup", "ledgerAccount");

-- CreateIndex
CREATE UNIQUE INDEX "chain_tx_seq_key" ON "chain_tx"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "chain_tx_idempotencyKey_key" ON "chain_tx"("idempotencyKey");

-- CreateIndex
CREATE INDEX "chain_tx_chainId_status_createdAt_idx" ON "chain_tx"("chainId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "chain_tx_fromAddress_nonce_idx" ON "chain_tx"("fromAddress", "nonce");

-- CreateIndex
CREATE INDEX "chain_tx_leaseId_idx" ON "chain_tx"("leaseId");

-- CreateIndex
CREATE INDEX "chain_tx_escrowAccountId_idx" ON "chain_tx"("escrowAccountId");

-- CreateIndex
CREATE INDEX "chain_tx_send_chainTxId_idx" ON "chain_tx_send"("chainTxId");

-- CreateIndex
CREATE UNIQUE INDEX "usage_receipt_leaseId_verifiedSeconds_key" ON "usage_receipt"("leaseId", "verifiedSeconds");

-- CreateIndex
CREATE UNIQUE INDEX "lease_chainLeaseId_key" ON "lease"("chainLeaseId");

-- AddForeignKey
ALTER TABLE "lease" ADD CONSTRAINT "lease_escrowAccountId_fkey" FOREIGN KEY ("escrowAccountId") REFERENCES "escrow_account"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "wallet" ADD CONSTRAINT "wallet_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "escrow_account" ADD CONSTRAINT "escrow_account_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "deployment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chain_tx_send" ADD CONSTRAINT "chain_tx_send_chainTxId_fkey" FOREIGN KEY ("chainTxId") REFERENCES "chain_tx"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
