package dev.basilica.testfleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FleetNetworkTest {

  @Test
  void prefixesOverlapWhenOneContainsTheOther() {
    assertTrue(FleetNetwork.overlaps("10.200.7.0/24", "10.200.7.0/24"));
    assertTrue(FleetNetwork.overlaps("10.200.7.1/30", "10.200.7.0/24"));
    assertTrue(FleetNetwork.overlaps("10.200.0.0/16", "10.200.7.0/24"));
    assertTrue(FleetNetwork.overlaps("10.200.7.9", "10.200.7.0/24"));
    assertFalse(FleetNetwork.overlaps("10.200.8.1/30", "10.200.7.0/24"));
    assertFalse(FleetNetwork.overlaps("192.0.2.0/24", "10.200.7.0/24"));
    assertFalse(FleetNetwork.overlaps("default", "10.200.7.0/24"));
    assertFalse(FleetNetwork.overlaps("fe80::/64", "10.200.7.0/24"));
  }

  @Test
  void choosesTheFirstFreeSubnetFromTheStartWrappingAround() {
    List<String> machine = List.of("127.0.0.0/8", "192.0.2.0/24", "default", "10.200.5.1/30");
    assertEquals(OptionalInt.of(4), FleetNetwork.chooseSubnet(Set.of(), machine, 4));
    assertEquals(OptionalInt.of(6), FleetNetwork.chooseSubnet(Set.of(4), machine, 4));
    assertEquals(OptionalInt.of(1), FleetNetwork.chooseSubnet(Set.of(254), machine, 254));
    assertEquals(OptionalInt.empty(), FleetNetwork.chooseSubnet(Set.of(), List.of("10.200.0.0/16"), 9));
  }
}
