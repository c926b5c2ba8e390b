/** `npm run build:web`: bundles the website into web/dist/ (dev/website.ts). */
import { buildWeb } from '../dev/website';

buildWeb()
  .then(({ outDir, keys }) => console.log(`Website built into ${outDir} (${keys.length} files)`))
  .catch((error: Error) => {
    console.error(`Website build failed: ${error.message}`);
    process.exit(1);
  });
