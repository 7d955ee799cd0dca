/** `f`, except that it never throws: a tracking call must not break the page that makes it. */
export const safe =
  <A extends unknown[], R>(f: (...args: A) => R) =>
  (...args: A): R | undefined => {
    try {
      return f(...args);
    } catch {
      // swallowed: see above
    }
  };
