package dev.roster.resource;

public enum ResourceKind {
    PROJECT, ENVIRONMENT, DATA_STORE
}
