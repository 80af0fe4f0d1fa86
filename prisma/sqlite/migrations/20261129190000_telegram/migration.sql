-- AlterTable
ALTER TABLE "Case" ADD COLUMN "attachments" JSONB;

-- CreateTable
CREATE TABLE "InboundUpdate" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "BlockedChat" (
    "channel" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "blockedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("channel", "chatId")
);

-- CreateIndex
CREATE INDEX "InboundUpdate_createdAt_idx" ON "InboundUpdate"("createdAt");

