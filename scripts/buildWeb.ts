/** `npm run build:web`: bundles the website into web/dist/ (dev/website.ts). */
import { buildWeb, WEB_DIST } from '../dev/website';

buildWeb()
  .then(() => console.log(`Website built into ${WEB_DIST}`))
  .catch((error: Error) => {
    console.error(`Website build failed: ${error.message}`);
    process.exit(1);
  });
