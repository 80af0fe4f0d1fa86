-- AlterTable
ALTER TABLE "Resident" ADD COLUMN     "commentCaseId" TEXT,
ADD COLUMN     "commentUntil" TIMESTAMP(3),
ADD COLUMN     "pollOptOut" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Unit" ADD COLUMN     "parentId" TEXT;

-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "closeReason" TEXT,
ADD COLUMN     "closedAt" TIMESTAMP(3),
ADD COLUMN     "clusterNo" TEXT,
ADD COLUMN     "firstRepliedAt" TIMESTAMP(3),
ADD COLUMN     "firstSatisfaction" TEXT,
ADD COLUMN     "pollAnsweredAt" TIMESTAMP(3),
ADD COLUMN     "pollDueAt" TIMESTAMP(3),
ADD COLUMN     "pollRemindedAt" TIMESTAMP(3),
ADD COLUMN     "pollSentAt" TIMESTAMP(3),
ADD COLUMN     "repeatOfCaseId" TEXT,
ADD COLUMN     "repliedOnTime" BOOLEAN,
ADD COLUMN     "repliedUnitId" TEXT,
ADD COLUMN     "satisfaction" TEXT,
ADD COLUMN     "satisfactionComment" TEXT,
ADD COLUMN     "stage" TEXT NOT NULL DEFAULT 'handling',
ADD COLUMN     "supervisedAt" TIMESTAMP(3),
ADD COLUMN     "supervisionReason" TEXT,
ADD COLUMN     "town" TEXT,
ADD COLUMN     "village" TEXT;

-- CreateIndex
CREATE INDEX "Case_clusterNo_idx" ON "Case"("clusterNo");

