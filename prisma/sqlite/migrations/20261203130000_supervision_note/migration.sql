ALTER TABLE "Case" ADD COLUMN "supervisionNote" TEXT;
