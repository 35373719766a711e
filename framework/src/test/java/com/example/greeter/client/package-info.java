/** The greeter's client-side handlers. */
package com.example.greeter.client;
