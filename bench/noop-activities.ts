/** The no-op activity of bench/noop-workflow's variants. */
export const noopActivities = {
  async noopActivity(): Promise<string> {
    return 'first';
  },
};

export type NoopActivities = typeof noopActivities;
