/** Largest CSV file accepted for import (characters of text); checked in the browser and on the server. */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
/** Most data rows in one import. */
export const MAX_IMPORT_ROWS = 20_000;
