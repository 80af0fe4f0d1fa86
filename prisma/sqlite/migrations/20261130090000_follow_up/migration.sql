-- AlterTable
ALTER TABLE "Unit" ADD COLUMN "parentId" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Resident" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT,
    "phone" TEXT,
    "locale" TEXT NOT NULL DEFAULT 'zh-CN',
    "pollOptOut" BOOLEAN NOT NULL DEFAULT false,
    "commentCaseId" TEXT,
    "commentUntil" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Resident" ("createdAt", "id", "locale", "name", "phone", "updatedAt") SELECT "createdAt", "id", "locale", "name", "phone", "updatedAt" FROM "Resident";
DROP TABLE "Resident";
ALTER TABLE "new_Resident" RENAME TO "Resident";
CREATE TABLE "new_Case" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseNo" TEXT NOT NULL,
    "submissionKey" TEXT NOT NULL,
    "residentId" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "suggestedCategory" TEXT,
    "classifierScore" REAL,
    "state" TEXT NOT NULL,
    "colour" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "location" TEXT,
    "occurredText" TEXT,
    "occurredOn" DATETIME,
    "demands" TEXT,
    "attachments" JSONB,
    "contactName" TEXT,
    "contactPhone" TEXT,
    "channel" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "unitId" TEXT,
    "ownerCadreId" TEXT,
    "receivedAt" DATETIME NOT NULL,
    "assignedAt" DATETIME,
    "acceptedAt" DATETIME,
    "repliedAt" DATETIME,
    "replyText" TEXT,
    "supervised" BOOLEAN NOT NULL DEFAULT false,
    "supervisedAt" DATETIME,
    "supervisionReason" TEXT,
    "stage" TEXT NOT NULL DEFAULT 'handling',
    "town" TEXT,
    "village" TEXT,
    "firstRepliedAt" DATETIME,
    "repliedOnTime" BOOLEAN,
    "repliedUnitId" TEXT,
    "pollSentAt" DATETIME,
    "pollRemindedAt" DATETIME,
    "pollDueAt" DATETIME,
    "pollAnsweredAt" DATETIME,
    "satisfaction" TEXT,
    "firstSatisfaction" TEXT,
    "satisfactionComment" TEXT,
    "closedAt" DATETIME,
    "closeReason" TEXT,
    "repeatOfCaseId" TEXT,
    "clusterNo" TEXT,
    "colourDueAt" DATETIME NOT NULL,
    "registerDueAt" DATETIME NOT NULL,
    "acceptanceDueAt" DATETIME NOT NULL,
    "objectionDueAt" DATETIME,
    "replyDueAt" DATETIME NOT NULL,
    "extendedDays" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Case_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Case_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Case" ("acceptanceDueAt", "acceptedAt", "assignedAt", "attachments", "caseNo", "category", "channel", "chatId", "classifierScore", "colour", "colourDueAt", "contactName", "contactPhone", "createdAt", "demands", "description", "extendedDays", "id", "locale", "location", "objectionDueAt", "occurredOn", "occurredText", "ownerCadreId", "receivedAt", "registerDueAt", "repliedAt", "replyDueAt", "replyText", "residentId", "state", "submissionKey", "suggestedCategory", "supervised", "unitId", "updatedAt") SELECT "acceptanceDueAt", "acceptedAt", "assignedAt", "attachments", "caseNo", "category", "channel", "chatId", "classifierScore", "colour", "colourDueAt", "contactName", "contactPhone", "createdAt", "demands", "description", "extendedDays", "id", "locale", "location", "objectionDueAt", "occurredOn", "occurredText", "ownerCadreId", "receivedAt", "registerDueAt", "repliedAt", "replyDueAt", "replyText", "residentId", "state", "submissionKey", "suggestedCategory", "supervised", "unitId", "updatedAt" FROM "Case";
DROP TABLE "Case";
ALTER TABLE "new_Case" RENAME TO "Case";
CREATE UNIQUE INDEX "Case_caseNo_key" ON "Case"("caseNo");
CREATE UNIQUE INDEX "Case_submissionKey_key" ON "Case"("submissionKey");
CREATE INDEX "Case_residentId_idx" ON "Case"("residentId");
CREATE INDEX "Case_state_idx" ON "Case"("state");
CREATE INDEX "Case_clusterNo_idx" ON "Case"("clusterNo");
CREATE INDEX "Case_unitId_state_idx" ON "Case"("unitId", "state");
CREATE INDEX "Case_receivedAt_idx" ON "Case"("receivedAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

