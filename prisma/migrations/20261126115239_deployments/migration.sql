-- CreateEnum
CREATE TYPE "DeploymentState" AS ENUM ('active', 'closed');

-- AlterTable
ALTER TABLE "provider" ADD COLUMN     "auditedBy" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "order" ADD COLUMN     "additionalUnits" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "deploymentId" TEXT,
ADD COLUMN     "gpuChoices" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "groupName" TEXT,
ADD COLUMN     "signedBy" JSONB NOT NULL DEFAULT '{"allOf": [], "anyOf": []}';

-- AlterTable
ALTER TABLE "lease" ADD COLUMN     "manifestDeliveredAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "deployment" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sdl" TEXT NOT NULL,
    "manifest" TEXT NOT NULL,
    "manifestVersion" TEXT NOT NULL,
    "state" "DeploymentState" NOT NULL DEFAULT 'active',
    "autoAcceptSeconds" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "deployment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "deployment_tenantId_createdAt_idx" ON "deployment"("tenantId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "order_deploymentId_groupName_key" ON "order"("deploymentId", "groupName");

-- AddForeignKey
ALTER TABLE "order" ADD CONSTRAINT "order_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "deployment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deployment" ADD CONSTRAINT "deployment_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
