export { renderReport } from './render-report.js';
export type { ReportData, ReportTrade } from './report-data.js';
