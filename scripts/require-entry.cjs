// `require('simple-smf')`: the package is an ES module. Node 20.19 and newer load it through
// require(); where that is not possible, say how to import it instead of failing obscurely.
'use strict';
try {
  module.exports = require('./simple-smf.js');
} catch (e) {
  if (e && (e.code === 'ERR_REQUIRE_ESM' || e.code === 'ERR_REQUIRE_ASYNC_MODULE')) {
    throw new Error(
      "simple-smf is an ES module that this Node cannot require(): import it instead, `import { ModuleLoader } from 'simple-smf'` " +
        "(from CommonJS: `const { ModuleLoader } = await import('simple-smf')`), or use Node 20.19 or newer",
      { cause: e },
    );
  }
  throw e;
}
