/**
 * The shared kernel: values every feature speaks (actors, channels, the organization a request acts in),
 * token hashing, paging and the errors the web edges translate. It depends on no feature.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package dev.roster.shared;
