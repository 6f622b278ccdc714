/**
 * Overlapping requests whose answers may arrive in any order: `start()` numbers a call and returns a check
 * that stays true only while no later call has started, so a stale answer can be told apart and dropped.
 */
export function callSequence() {
  let latest = 0;
  return {
    start(): () => boolean {
      const call = ++latest;
      return () => call === latest;
    },
  };
}
