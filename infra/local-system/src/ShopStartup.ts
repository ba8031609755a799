import type { ShopTopology } from '@shop/topology';

/** The shop being started: its region and topology, where progress goes, and how to stop what runs. */
export interface ShopStartup {
  readonly region: string;
  readonly topology: ShopTopology;
  /** One line per start-up step. */
  readonly progress: (line: string) => void;
  /** How to stop each piece started so far, in the order they started. */
  readonly stops: (() => Promise<void>)[];
}
