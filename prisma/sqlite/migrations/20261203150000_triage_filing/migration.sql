-- AlterTable
ALTER TABLE "Case" ADD COLUMN "advisedProcedure" TEXT;

-- CreateTable
CREATE TABLE "TriageNote" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "channel" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subtype" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "caseId" TEXT
);

-- AlterTable (a plain ADD COLUMN: SQLite allows NOT NULL with a constant default, and the outbox is not copied)
ALTER TABLE "OutboxMessage" ADD COLUMN "priority" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "TriageNote_channel_userId_createdAt_idx" ON "TriageNote"("channel", "userId", "createdAt");

