<?xml version="1.0" encoding="UTF-8"?>
<!--
  The document XSI takes to add (POST services/BroadWorksAnywhere/Location) or change (PUT
  services/BroadWorksAnywhere/Location/<number>) a BroadWorks Anywhere location: a BroadWorksAnywhereLocation in the
  XSI namespace, its elements in the schema's order, only those the app gave (a change sends what changes).

  Input (features/AnywhereLocations, from the app's form, every value checked already):
    <location>
      <phoneNumber>…</phoneNumber>?  <description>…</description>?  <active>true|false</active>?
      <outboundAlternateNumber>…</outboundAlternateNumber>?  <broadworksCallControl>…</broadworksCallControl>?
      <useDiversionInhibitor>…</useDiversionInhibitor>?  <answerConfirmationRequired>…</answerConfirmationRequired>?
    </location>
  An element with clear="true" (the app sent the field empty) is written xsi:nil="true": XSI's way of removing an
  optional value.

  The schema's order and spelling (XSI BroadWorksAnywhereLocation; note BroadWorksCallControl's capitals):
  phoneNumber, description, active, outboundAlternateNumber, BroadWorksCallControl, useDiversionInhibitor,
  answerConfirmationRequired. A tenant override (xslt/tenants/<tenant>/anywhere-location.xsl) can import this
  file and replace the template below (a platform of another release that wants other names).
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                xmlns:pp="urn:provisioning-proxy:private"
                exclude-result-prefixes="xs xsi pp"
                expand-text="yes">

  <xsl:output method="xml" encoding="UTF-8" indent="no"/>

  <!-- the app's name -> XSI's name, in the schema's order -->
  <xsl:variable name="pp:fields" as="map(xs:string, xs:string)*" select="
      map {'field': 'phoneNumber', 'xsi': 'phoneNumber'},
      map {'field': 'description', 'xsi': 'description'},
      map {'field': 'active', 'xsi': 'active'},
      map {'field': 'outboundAlternateNumber', 'xsi': 'outboundAlternateNumber'},
      map {'field': 'broadworksCallControl', 'xsi': 'BroadWorksCallControl'},
      map {'field': 'useDiversionInhibitor', 'xsi': 'useDiversionInhibitor'},
      map {'field': 'answerConfirmationRequired', 'xsi': 'answerConfirmationRequired'}"/>

  <xsl:template match="/location">
    <xsl:variable name="given" select="."/>
    <BroadWorksAnywhereLocation xmlns="http://schema.broadsoft.com/xsi">
      <xsl:for-each select="$pp:fields">
        <xsl:variable name="value" select="$given/*[local-name() = current()?field][1]"/>
        <xsl:if test="$value">
          <xsl:element name="{?xsi}" namespace="http://schema.broadsoft.com/xsi">
            <xsl:choose>
              <xsl:when test="$value/@clear = 'true'">
                <xsl:attribute name="xsi:nil">true</xsl:attribute>
              </xsl:when>
              <xsl:otherwise>{string($value)}</xsl:otherwise>
            </xsl:choose>
          </xsl:element>
        </xsl:if>
      </xsl:for-each>
    </BroadWorksAnywhereLocation>
  </xsl:template>

</xsl:stylesheet>
