import { v7 } from 'uuid';

/** Time-ordered ids keep index locality on both dialects; no auto-increment form works on both. */
export const newId = (): string => v7();

export const nowIso = (): string => new Date().toISOString();
