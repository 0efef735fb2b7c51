/** split-sms (dev): an independent SMS splitter the encoder is tested against. */
declare module 'split-sms' {
  export interface SplitResult {
    characterSet: 'GSM' | 'Unicode';
    parts: { content?: string; length: number; bytes: number }[];
    bytes: number;
    length: number;
    remainingInPart: number;
  }
  export function split(message: string, options?: { summary?: boolean }): SplitResult;
}
