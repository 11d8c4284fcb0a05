<?xml version="1.0" encoding="UTF-8"?>
<!--
  The document XSI takes to change a call feature (PUT services/<Service>), from the change the app asked for
  (features/FeatureChanges, values already checked):
    input   <change service="CallForwardingNoAnswer">
              <field name="active">true</field><field name="forwardToPhoneNumber"/><field name="numberOfRings">5</field>
            </change>
    output  <CallForwardingNoAnswer xmlns="http://schema.broadsoft.com/xsi"
                                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
              <active>true</active><forwardToPhoneNumber xsi:nil="true"/><numberOfRings>5</numberOfRings>
            </CallForwardingNoAnswer>
  Only the fields that change, in the order given (features/Feature lists them in XSI's schema order, which XSI
  requires: its schema is a sequence); every element of the service is optional in XSI's PUT, so what is left out
  stays as it is. An empty value clears the field: xsi:nil="true" (XSI's way; an empty element would be refused
  as an invalid number).
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                exclude-result-prefixes="xs"
                expand-text="yes">

  <xsl:output method="xml" encoding="UTF-8" indent="no"/>

  <xsl:variable name="ns" as="xs:string" select="'http://schema.broadsoft.com/xsi'"/>

  <xsl:template match="/change">
    <xsl:element name="{@service}" namespace="{$ns}">
      <xsl:namespace name="xsi" select="'http://www.w3.org/2001/XMLSchema-instance'"/>
      <xsl:for-each select="field">
        <xsl:element name="{@name}" namespace="{$ns}">
          <xsl:choose>
            <xsl:when test=". eq ''">
              <xsl:attribute name="xsi:nil" select="'true'"/>
            </xsl:when>
            <xsl:otherwise>{.}</xsl:otherwise>
          </xsl:choose>
        </xsl:element>
      </xsl:for-each>
    </xsl:element>
  </xsl:template>

</xsl:stylesheet>
