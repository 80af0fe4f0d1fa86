-- AlterTable
ALTER TABLE "Unit" ADD COLUMN "areas" JSONB;

-- CreateTable
CREATE TABLE "CadreInvite" (
    "code" TEXT NOT NULL PRIMARY KEY,
    "unitId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "name" TEXT,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "cadreId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Cadre" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "unitId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'handler',
    "channel" TEXT,
    "externalId" TEXT,
    "chatId" TEXT,
    "locale" TEXT NOT NULL DEFAULT 'zh-CN',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Cadre_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Cadre" ("channel", "createdAt", "externalId", "id", "name", "role", "unitId") SELECT "channel", "createdAt", "externalId", "id", "name", "role", "unitId" FROM "Cadre";
DROP TABLE "Cadre";
ALTER TABLE "new_Cadre" RENAME TO "Cadre";
CREATE INDEX "Cadre_unitId_idx" ON "Cadre"("unitId");
CREATE UNIQUE INDEX "Cadre_channel_externalId_key" ON "Cadre"("channel", "externalId");
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
INSERT INTO "new_Case" ("acceptanceDueAt", "assignedAt", "attachments", "caseNo", "category", "channel", "chatId", "classifierScore", "colour", "colourDueAt", "contactName", "contactPhone", "createdAt", "demands", "description", "extendedDays", "id", "locale", "location", "objectionDueAt", "occurredOn", "occurredText", "ownerCadreId", "receivedAt", "registerDueAt", "replyDueAt", "residentId", "state", "submissionKey", "suggestedCategory", "unitId", "updatedAt") SELECT "acceptanceDueAt", "assignedAt", "attachments", "caseNo", "category", "channel", "chatId", "classifierScore", "colour", "colourDueAt", "contactName", "contactPhone", "createdAt", "demands", "description", "extendedDays", "id", "locale", "location", "objectionDueAt", "occurredOn", "occurredText", "ownerCadreId", "receivedAt", "registerDueAt", "replyDueAt", "residentId", "state", "submissionKey", "suggestedCategory", "unitId", "updatedAt" FROM "Case";
DROP TABLE "Case";
ALTER TABLE "new_Case" RENAME TO "Case";
CREATE UNIQUE INDEX "Case_caseNo_key" ON "Case"("caseNo");
CREATE UNIQUE INDEX "Case_submissionKey_key" ON "Case"("submissionKey");
CREATE INDEX "Case_residentId_idx" ON "Case"("residentId");
CREATE INDEX "Case_state_idx" ON "Case"("state");
CREATE INDEX "Case_unitId_state_idx" ON "Case"("unitId", "state");
CREATE INDEX "Case_receivedAt_idx" ON "Case"("receivedAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

