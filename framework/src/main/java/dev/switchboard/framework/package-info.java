package dev.switchboard.framework;
