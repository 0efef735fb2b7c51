/** Inbound email as SES receiving stores it: one raw MIME object per message in the stage's replies bucket. */

/** Where one received message lies (the S3 event's bucket and key). */
export interface RawMailLocation {
  bucket: string;
  key: string;
}

export interface RawMailStore {
  /** Returns the raw message, or `undefined` when it is gone (taken already, or expired). */
  readRawMail(location: RawMailLocation): Promise<Uint8Array | undefined>;
  /** Deletes the raw message once it is handled: what a reply says is kept in the conversation only. */
  deleteRawMail(location: RawMailLocation): Promise<void>;
}
