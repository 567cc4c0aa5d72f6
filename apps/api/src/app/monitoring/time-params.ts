// alerts/ (AlertsService) still reads `from`/`to` through this path; new code imports common/query-params.
export { parseInstant } from '../common/query-params';
