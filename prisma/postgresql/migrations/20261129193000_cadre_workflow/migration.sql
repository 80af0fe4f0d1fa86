-- AlterTable
ALTER TABLE "Unit" ADD COLUMN     "areas" JSONB;

-- AlterTable
ALTER TABLE "Cadre" ADD COLUMN     "chatId" TEXT,
ADD COLUMN     "locale" TEXT NOT NULL DEFAULT 'zh-CN';

-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "acceptedAt" TIMESTAMP(3),
ADD COLUMN     "repliedAt" TIMESTAMP(3),
ADD COLUMN     "replyText" TEXT,
ADD COLUMN     "supervised" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "CadreInvite" (
    "code" TEXT NOT NULL,
    "unitId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "name" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "cadreId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CadreInvite_pkey" PRIMARY KEY ("code")
);

