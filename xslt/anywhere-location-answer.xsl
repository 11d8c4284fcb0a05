<?xml version="1.0" encoding="UTF-8"?>
<!--
  A BroadWorks Anywhere location as the app reads it after adding or changing it: XSI's BroadWorksAnywhereLocation
  (GET services/BroadWorksAnywhere/Location/<number>, read after the change) as XML (default) or JSON (parameter
  format = 'json'), built once in the xml-to-json vocabulary so key order is fixed.
    <location><phoneNumber/><description/><active/><outboundAlternateNumber/><broadworksCallControl/>
              <useDiversionInhibitor/><answerConfirmationRequired/></location>
    { "phoneNumber": "…", "description": "…", "active": true, "outboundAlternateNumber": "…",
      "broadworksCallControl": false, "useDiversionInhibitor": false, "answerConfirmationRequired": false }
  Every key in every answer: a string XSI leaves out (or nils) is empty, a boolean it leaves out is false. The
  first three are the shape of a location in the features list. XSI documents are matched by local name (*:).
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:fn="http://www.w3.org/2005/xpath-functions"
                xmlns:p="urn:provisioning-proxy"
                xmlns:pp="urn:provisioning-proxy:private"
                exclude-result-prefixes="#all"
                expand-text="yes">

  <xsl:import href="lib/common.xsl"/>

  <!-- text either way: JSON by xml-to-json, XML by serialize() -->
  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:param name="format" as="xs:string" select="'xml'"/>

  <xsl:template match="/">
    <xsl:variable name="location" select="*:BroadWorksAnywhereLocation"/>
    <xsl:variable name="answer" as="element(fn:map)">
      <fn:map>
        <fn:string key="phoneNumber">{p:first($location/*:phoneNumber)}</fn:string>
        <fn:string key="description">{p:first($location/*:description)}</fn:string>
        <fn:boolean key="active">{pp:flag($location/*:active)}</fn:boolean>
        <fn:string key="outboundAlternateNumber">{p:first($location/*:outboundAlternateNumber)}</fn:string>
        <fn:boolean key="broadworksCallControl">{pp:flag($location/*:BroadWorksCallControl)}</fn:boolean>
        <fn:boolean key="useDiversionInhibitor">{pp:flag($location/*:useDiversionInhibitor)}</fn:boolean>
        <fn:boolean key="answerConfirmationRequired">{pp:flag($location/*:answerConfirmationRequired)}</fn:boolean>
      </fn:map>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$format = 'json'">
        <xsl:value-of select="xml-to-json($answer)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="xml" as="document-node()">
          <xsl:document>
            <location>
              <xsl:for-each select="$answer/*">
                <xsl:element name="{@key}">{.}</xsl:element>
              </xsl:for-each>
            </location>
          </xsl:document>
        </xsl:variable>
        <xsl:value-of select="serialize($xml, map {'method': 'xml', 'indent': true(), 'encoding': 'UTF-8'})"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- XSI writes true/false (with stray spaces, as the spec's examples show) -->
  <xsl:function name="pp:flag" as="xs:boolean">
    <xsl:param name="flag" as="element()*"/>
    <xsl:sequence select="normalize-space($flag[1]) = 'true'"/>
  </xsl:function>

</xsl:stylesheet>
