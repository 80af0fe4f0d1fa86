-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "advisedProcedure" TEXT;

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "priority" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "TriageNote" (
    "id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subtype" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "caseId" TEXT,

    CONSTRAINT "TriageNote_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TriageNote_channel_userId_createdAt_idx" ON "TriageNote"("channel", "userId", "createdAt");

