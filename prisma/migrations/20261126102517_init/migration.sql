-- CreateEnum
CREATE TYPE "Role" AS ENUM ('tenant', 'provider', 'admin');

-- CreateEnum
CREATE TYPE "AccountStatus" AS ENUM ('active', 'suspended');

-- CreateEnum
CREATE TYPE "OrderState" AS ENUM ('open', 'active', 'closed');

-- CreateEnum
CREATE TYPE "BidState" AS ENUM ('open', 'active', 'lost', 'closed');

-- CreateEnum
CREATE TYPE "LeaseState" AS ENUM ('active', 'insufficient_funds', 'closed');

-- CreateEnum
CREATE TYPE "LeaseCloseReason" AS ENUM ('owner', 'provider', 'unstable', 'manifest_timeout', 'insufficient_funds', 'admin');

-- CreateTable
CREATE TABLE "account" (
    "id" TEXT NOT NULL,
    "email" TEXT,
    "passwordHash" TEXT,
    "ethAddress" TEXT,
    "roles" "Role"[],
    "status" "AccountStatus" NOT NULL DEFAULT 'active',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "siwe_nonce" (
    "nonce" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "siwe_nonce_pkey" PRIMARY KEY ("nonce")
);

-- CreateTable
CREATE TABLE "provider" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "hostUri" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "provider_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inventory" (
    "id" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "gpuVendor" TEXT NOT NULL,
    "gpuModel" TEXT NOT NULL,
    "gpuMemoryGiB" INTEGER NOT NULL,
    "gpuInterface" TEXT NOT NULL,
    "gpuCount" INTEGER NOT NULL,
    "cpuMillicores" INTEGER NOT NULL,
    "memoryBytes" BIGINT NOT NULL,
    "storageBytes" BIGINT NOT NULL,
    "gpuAllocated" INTEGER NOT NULL DEFAULT 0,
    "cpuMillicoresAllocated" INTEGER NOT NULL DEFAULT 0,
    "memoryBytesAllocated" BIGINT NOT NULL DEFAULT 0,
    "storageBytesAllocated" BIGINT NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inventory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "gpuUnits" INTEGER NOT NULL,
    "gpuVendor" TEXT NOT NULL,
    "gpuModel" TEXT,
    "gpuMemoryGiB" INTEGER,
    "cpuMillicores" INTEGER NOT NULL,
    "memoryBytes" BIGINT NOT NULL,
    "storageBytes" BIGINT NOT NULL,
    "count" INTEGER NOT NULL,
    "region" TEXT,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "maxPricePerHour" BIGINT NOT NULL,
    "state" "OrderState" NOT NULL DEFAULT 'open',
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bid" (
    "id" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "pricePerHour" BIGINT NOT NULL,
    "state" "BidState" NOT NULL DEFAULT 'open',
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "bid_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lease" (
    "id" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "bidId" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "pricePerHour" BIGINT NOT NULL,
    "state" "LeaseState" NOT NULL DEFAULT 'active',
    "closeReason" "LeaseCloseReason",
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "lease_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lease_allocation" (
    "leaseId" TEXT NOT NULL,
    "inventoryId" TEXT NOT NULL,
    "gpu" INTEGER NOT NULL,
    "cpuMillicores" INTEGER NOT NULL,
    "memoryBytes" BIGINT NOT NULL,
    "storageBytes" BIGINT NOT NULL,

    CONSTRAINT "lease_allocation_pkey" PRIMARY KEY ("leaseId","inventoryId")
);

-- CreateTable
CREATE TABLE "market_event" (
    "id" BIGSERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "audience" TEXT[],
    "forProviders" BOOLEAN NOT NULL DEFAULT false,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "market_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_record" (
    "accountId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" INTEGER,
    "body" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_record_pkey" PRIMARY KEY ("accountId","key")
);

-- CreateIndex
CREATE UNIQUE INDEX "account_email_key" ON "account"("email");

-- CreateIndex
CREATE UNIQUE INDEX "account_ethAddress_key" ON "account"("ethAddress");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_hash_key" ON "api_key"("hash");

-- CreateIndex
CREATE INDEX "api_key_accountId_idx" ON "api_key"("accountId");

-- CreateIndex
CREATE UNIQUE INDEX "provider_accountId_key" ON "provider"("accountId");

-- CreateIndex
CREATE INDEX "inventory_providerId_idx" ON "inventory"("providerId");

-- CreateIndex
CREATE INDEX "order_state_createdAt_idx" ON "order"("state", "createdAt");

-- CreateIndex
CREATE INDEX "order_tenantId_createdAt_idx" ON "order"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "bid_orderId_state_idx" ON "bid"("orderId", "state");

-- CreateIndex
CREATE INDEX "bid_providerId_createdAt_idx" ON "bid"("providerId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "lease_orderId_key" ON "lease"("orderId");

-- CreateIndex
CREATE UNIQUE INDEX "lease_bidId_key" ON "lease"("bidId");

-- CreateIndex
CREATE INDEX "lease_tenantId_createdAt_idx" ON "lease"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "lease_providerId_createdAt_idx" ON "lease"("providerId", "createdAt");

-- CreateIndex
CREATE INDEX "lease_allocation_inventoryId_idx" ON "lease_allocation"("inventoryId");

-- CreateIndex
CREATE INDEX "market_event_createdAt_idx" ON "market_event"("createdAt");

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "provider" ADD CONSTRAINT "provider_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inventory" ADD CONSTRAINT "inventory_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "provider"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order" ADD CONSTRAINT "order_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bid" ADD CONSTRAINT "bid_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bid" ADD CONSTRAINT "bid_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "provider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lease" ADD CONSTRAINT "lease_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lease" ADD CONSTRAINT "lease_bidId_fkey" FOREIGN KEY ("bidId") REFERENCES "bid"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lease" ADD CONSTRAINT "lease_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lease" ADD CONSTRAINT "lease_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "provider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lease_allocation" ADD CONSTRAINT "lease_allocation_leaseId_fkey" FOREIGN KEY ("leaseId") REFERENCES "lease"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lease_allocation" ADD CONSTRAINT "lease_allocation_inventoryId_fkey" FOREIGN KEY ("inventoryId") REFERENCES "inventory"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
