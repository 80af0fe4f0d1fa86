-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "enquiryCodeHash" TEXT,
ADD COLUMN     "publicConsent" BOOLEAN;

-- CreateTable
CREATE TABLE "CaseGrant" (
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaseGrant_pkey" PRIMARY KEY ("channel","externalId","caseId")
);

-- CreateTable
CREATE TABLE "EnquiryLock" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EnquiryLock_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "CaseGrant_caseId_idx" ON "CaseGrant"("caseId");

