-- AlterTable
ALTER TABLE "Resident" ADD COLUMN "erasedAt" DATETIME;
ALTER TABLE "Resident" ADD COLUMN "erasureConfirmUntil" DATETIME;
ALTER TABLE "Resident" ADD COLUMN "erasureRequestedAt" DATETIME;

-- AlterTable
ALTER TABLE "Case" ADD COLUMN "anonymisedAt" DATETIME;
ALTER TABLE "Case" ADD COLUMN "idNumbersMaskedAt" DATETIME;

-- CreateIndex
CREATE INDEX "Resident_erasureRequestedAt_idx" ON "Resident"("erasureRequestedAt");

-- CreateIndex
CREATE INDEX "Case_state_closedAt_idx" ON "Case"("state", "closedAt");

