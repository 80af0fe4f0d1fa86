-- AlterTable
ALTER TABLE "Case" ADD COLUMN "enquiryCodeHash" TEXT;
ALTER TABLE "Case" ADD COLUMN "publicConsent" BOOLEAN;

-- CreateTable
CREATE TABLE "CaseGrant" (
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("channel", "externalId", "caseId")
);

-- CreateTable
CREATE TABLE "EnquiryLock" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "CaseGrant_caseId_idx" ON "CaseGrant"("caseId");

