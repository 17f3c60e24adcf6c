import { packageBuild } from '../../tsup.base';

export default packageBuild(['index', 'provider', 'store', 'node', 'fetch', 'testing']);
