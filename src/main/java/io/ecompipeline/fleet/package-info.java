/**
 * Several instances on one database, operated as one: every instance heartbeats ({@code pipeline.instances}),
 * applies the route states the operators asked the fleet for ({@code pipeline.route_controls}: suspend or resume a
 * route everywhere, also honoured by an instance that starts later) and reports the state of its own routes
 * ({@code pipeline.instance_routes}); the job runs of an instance that stopped heartbeating are closed as abandoned.
 *
 * <p>May depend on: {@code jobs}, {@code db}.
 */
package io.ecompipeline.fleet;
