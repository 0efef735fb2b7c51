/**
 * Letters: the journey step records a letter to post (a table write: no PDF library in the step's
 * bundle); the posting function lays each day's letters out as PDFs and hands them to the
 * print-and-mail partner (an S3 bucket the partner collects from, or the partner's HTTP API).
 */
import type { LetterToPost } from '../letter.ts';

/** Where the journey step records a letter to post. */
export interface LetterQueue {
  /** Records the letter (once per letter id: a retry finds it recorded); returns its id as the provider's message id. */
  queueLetter(letter: LetterToPost): Promise<{ providerMessageId: string }>;
}

/** The letters recorded and not yet posted, read by the posting function. */
export interface LettersToPost {
  /** The letters recorded on a UTC day (`YYYY-MM-DD`) and not yet posted. */
  lettersOf(day: string): Promise<LetterToPost[]>;
  /** Marks a letter posted in a batch: it leaves the day's list. */
  markPosted(letter: LetterToPost, posted: { batch: string; at: Date }): Promise<void>;
}

/** One letter as the partner receives it: the PDF and its line in the manifest. */
export interface PrintedLetter {
  letterId: string;
  pdf: Uint8Array;
  pages: number;
  /** The destination country: the partner's postage. */
  country: string;
}

/** The print-and-mail partner: takes a batch of letters (PDFs and a manifest). */
export interface LetterPost {
  postBatch(batch: { id: string; day: string; letters: PrintedLetter[] }): Promise<{ location: string }>;
}
