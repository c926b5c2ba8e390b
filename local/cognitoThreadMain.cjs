/** The entry of cognitoThread.ts's worker thread: TypeScript through tsx, as plugin.cjs does, then the thread's work. */
'use strict';

require('tsx/cjs/api').register();
require('./cognitoThread').serveInThisThread();
