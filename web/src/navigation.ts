/** The router's turns (see latest.ts): each navigation is a visit, and only the current visit draws into the page. */
import { render, type Child } from './dom';
import { Latest, type Turn } from './latest';

export interface Visit extends Turn {
  /** Replaces the page's content, if this visit is still current; says whether it drew. */
  draw(...children: Child[]): boolean;
}

export class Navigation {
  private readonly turns = new Latest();
  private latest: Visit | undefined;

  constructor(private readonly root: HTMLElement) {}

  /** The visit the page is on now (undefined before the first). */
  get current(): Visit | undefined {
    return this.latest;
  }

  /** Starts a visit; the one before is cancelled: its requests aborted, its drawing refused. */
  begin(): Visit {
    const turn = this.turns.begin();
    const root = this.root;
    return (this.latest = {
      signal: turn.signal,
      get current() {
        return turn.current;
      },
      draw(...children: Child[]) {
        if (!turn.current) return false;
        render(root, ...children);
        return true;
      },
    });
  }
}
