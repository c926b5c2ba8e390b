/**
 * Only the latest may act. A person can move on before a request answers; whatever arrives for something they left
 * must not draw, navigate or report. `Latest` hands out turns: each new turn ends the one before and aborts its
 * signal, so the requests made with it are cancelled too. The router takes one turn per navigation (navigation.ts),
 * App.refreshUser one per refresh, so an older GET /me never overwrites a newer one.
 */
export interface Turn {
  /** Aborted as soon as a later turn begins: pass it to fetch, so a superseded request is cancelled. */
  readonly signal: AbortSignal;
  /** True until a later turn begins. */
  readonly current: boolean;
}

export class Latest {
  private controller: AbortController | null = null;

  /** Starts a turn and ends the previous one. */
  begin(): Turn {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    return {
      signal: controller.signal,
      get current() {
        return !controller.signal.aborted;
      },
    };
  }

  /** Ends the current turn without starting another. */
  end(): void {
    this.controller?.abort();
    this.controller = null;
  }
}
