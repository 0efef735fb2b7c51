/** What the `klantreis` commands print through: standard output and error. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}
