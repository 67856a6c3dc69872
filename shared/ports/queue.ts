/** A queue messages are sent to as JSON. */
export interface JsonQueue<Message> {
  /** Sends one message; with `delaySeconds` (at most 900) it becomes visible only after that. */
  send(message: Message, delaySeconds?: number): Promise<void>;

  /** Makes a message this consumer received (and has not deleted) visible again in `seconds`. */
  showAgainIn(receiptHandle: string, seconds: number): Promise<void>;

  /** Sends every message, or throws if some never go (those that went stay sent). */
  sendAll(messages: readonly Message[]): Promise<void>;
}
