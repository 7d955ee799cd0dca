/** A user, group or message identifier. Numbers are accepted, as Segment does, and stored as text. */
export type Id = string | number;

/** Event properties or traits: a JSON-serializable object. */
export type Properties = Record<string, unknown>;

/** Traits of a user or a group: a JSON-serializable object. */
export type Traits = Record<string, unknown>;

/**
 * Who a call is about. At least one of `userId` and `anonymousId` is required; a call with neither
 * fails with reason `invalid`.
 */
export type Identity =
  | { userId: Id; anonymousId?: Id | undefined }
  | { userId?: Id | undefined; anonymousId: Id };

/** Fields every call may carry. */
export interface CommonFields {
  /**
   * Deduplication key, at most 100 characters. Default: a random UUID generated on this machine,
   * kept across retries so a batch resent after a timeout is stored once.
   */
  messageId?: string | undefined;
  /** When it happened. Default: the time of the call. */
  timestamp?: Date | string | number | undefined;
  /** Extra context; `library` is filled in unless you set it. */
  context?: Record<string, unknown> | undefined;
  /** Destinations to enable or disable, passed through as Segment does. */
  integrations?: Record<string, unknown> | undefined;
}

/** The argument of `identify()`: who the user is. */
export type IdentifyCall = Identity & CommonFields & { traits?: Traits | undefined };

/** The argument of `page()` and `screen()`: what the user sees. */
export type PageCall = Identity &
  CommonFields & {
    /** Name of the page or screen. */
    name?: string | undefined;
    /** Category of the page or screen; sent as `properties.category`. */
    category?: string | undefined;
    properties?: Properties | undefined;
  };

/** The argument of `group()`: the account a user belongs to. */
export type GroupCall = Identity & CommonFields & { groupId: Id; traits?: Traits | undefined };

/** The argument of `alias()`: two ids of one user. */
export type AliasCall = CommonFields & { userId: Id; previousId: Id };
