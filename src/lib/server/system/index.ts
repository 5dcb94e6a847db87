export { systemRoutes, HealthSchema } from './routes.js';
