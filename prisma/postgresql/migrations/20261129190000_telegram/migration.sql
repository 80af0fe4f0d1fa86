-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "attachments" JSONB;

-- CreateTable
CREATE TABLE "InboundUpdate" (
    "key" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InboundUpdate_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "BlockedChat" (
    "channel" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "blockedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BlockedChat_pkey" PRIMARY KEY ("channel","chatId")
);

-- CreateIndex
CREATE INDEX "InboundUpdate_createdAt_idx" ON "InboundUpdate"("createdAt");

