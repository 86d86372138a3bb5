-- CreateEnum
CREATE TYPE "WorkloadStatus" AS ENUM ('pending', 'deploying', 'running', 'degraded', 'failed', 'manifest_rejected');

-- AlterTable
ALTER TABLE "provider" ADD COLUMN     "signingAddress" TEXT;

-- CreateTable
CREATE TABLE "lease_verification" (
    "leaseId" TEXT NOT NULL,
    "expectedServices" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "globalServices" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "status" "WorkloadStatus" NOT NULL DEFAULT 'pending',
    "services" JSONB NOT NULL DEFAULT '[]',
    "servicesReady" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "lastSequence" BIGINT NOT NULL DEFAULT 0,
    "lastHeartbeatAt" TIMESTAMP(3),
    "lastAgentTime" TIMESTAMP(3),
    "heartbeatCount" INTEGER NOT NULL DEFAULT 0,
    "lastCheckAt" TIMESTAMP(3),
    "lastCheckVerified" BOOLEAN NOT NULL DEFAULT false,
    "lastProbeAt" TIMESTAMP(3),
    "lastProbeOk" BOOLEAN,
    "failureStreak" INTEGER NOT NULL DEFAULT 0,
    "checkCount" INTEGER NOT NULL DEFAULT 0,
    "failedCheckCount" INTEGER NOT NULL DEFAULT 0,
    "verifiedMillis" BIGINT NOT NULL DEFAULT 0,
    "firstVerifiedAt" TIMESTAMP(3),

    CONSTRAINT "lease_verification_pkey" PRIMARY KEY ("leaseId")
);

-- CreateTable
CREATE TABLE "lease_uptime" (
    "id" BIGSERIAL NOT NULL,
    "leaseId" TEXT NOT NULL,
    "startAt" TIMESTAMP(3) NOT NULL,
    "endAt" TIMESTAMP(3) NOT NULL,
    "verified" BOOLEAN NOT NULL,
    "reason" TEXT,

    CONSTRAINT "lease_uptime_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lease_event" (
    "id" BIGSERIAL NOT NULL,
    "leaseId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "source" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "service" TEXT,

    CONSTRAINT "lease_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lease_log" (
    "id" BIGSERIAL NOT NULL,
    "leaseId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "service" TEXT NOT NULL,
    "line" TEXT NOT NULL,

    CONSTRAINT "lease_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "lease_uptime_leaseId_startAt_idx" ON "lease_uptime"("leaseId", "startAt");

-- CreateIndex
CREATE INDEX "lease_event_leaseId_id_idx" ON "lease_event"("leaseId", "id");

-- CreateIndex
CREATE INDEX "lease_log_leaseId_id_idx" ON "lease_log"("leaseId", "id");

-- AddForeignKey
ALTER TABLE "lease_verification" ADD CONSTRAINT "lease_verification_leaseId_fkey" FOREIGN KEY ("leaseId") REFERENCES "lease"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lease_uptime" ADD CONSTRAINT "lease_uptime_leaseId_fkey" FOREIGN KEY ("leaseId") REFERENCES "lease"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lease_event" ADD CONSTRAINT "lease_event_leaseId_fkey" FOREIGN KEY ("leaseId") REFERENCES "lease"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lease_log" ADD CONSTRAINT "lease_log_leaseId_fkey" FOREIGN KEY ("leaseId") REFERENCES "lease"("id") ON DELETE CASCADE ON UPDATE CASCADE;
