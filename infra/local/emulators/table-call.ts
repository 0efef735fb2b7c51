/** How the local DynamoDB is called in process: an operation's request JSON in, DynamoDB's JSON answer out. */
export type Json = Record<string, unknown>;

/** DynamoDB's answer to one request: its HTTP status and its JSON body (`__type` and `message` on an error). */
export interface TableAnswer {
  status: number;
  body: Json;
}

/** Answers one DynamoDB operation (`GetItem`, `TransactWriteItems`, …) on its request's JSON. */
export type TableCall = (operation: string, request: Json) => Promise<TableAnswer>;
