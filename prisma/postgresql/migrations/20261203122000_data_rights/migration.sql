-- AlterTable
ALTER TABLE "Resident" ADD COLUMN     "erasedAt" TIMESTAMP(3),
ADD COLUMN     "erasureConfirmUntil" TIMESTAMP(3),
ADD COLUMN     "erasureRequestedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "anonymisedAt" TIMESTAMP(3),
ADD COLUMN     "idNumbersMaskedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Resident_erasureRequestedAt_idx" ON "Resident"("erasureRequestedAt");

-- CreateIndex
CREATE INDEX "Case_state_closedAt_idx" ON "Case"("state", "closedAt");

